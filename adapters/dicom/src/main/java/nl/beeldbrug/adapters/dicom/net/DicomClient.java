package nl.beeldbrug.adapters.dicom.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/**
 * DICOM service user: opens associations (plain or TLS) and offers one-call operations:
 * <pre>
 * DicomClient dicom = DicomClient.of("BEELDBRUG");
 * dicom.echo(pacs);
 * List&lt;Attributes&gt; studies = dicom.findStudies(pacs, "PAT001");
 * dicom.moveStudy(pacs, studyUid, "ARCHIVE");
 * dicom.getStudy(pacs, studyUid, instance -&gt; { ...; return Dimse.SUCCESS; });
 * dicom.store(pacs, List.of(file));
 * </pre>
 */
public final class DicomClient {
    /** Storage SOP classes proposed for C-GET when the caller does not name them (C-GET needs them up front). */
    public static final List<String> COMMON_STORAGE = List.of(UID.CTImageStorage, UID.MRImageStorage,
            UID.SecondaryCaptureImageStorage, UID.ComputedRadiographyImageStorage,
            UID.DigitalXRayImageStorageForPresentation, UID.DigitalMammographyXRayImageStorageForPresentation,
            UID.UltrasoundImageStorage, UID.UltrasoundMultiFrameImageStorage, UID.EnhancedCTImageStorage,
            UID.EnhancedMRImageStorage, UID.PositronEmissionTomographyImageStorage, UID.NuclearMedicineImageStorage,
            UID.XRayAngiographicImageStorage, UID.RTImageStorage, UID.RTDoseStorage, UID.RTStructureSetStorage,
            UID.RTPlanStorage, UID.KeyObjectSelectionDocumentStorage, UID.BasicTextSRStorage,
            UID.EnhancedSRStorage, UID.ComprehensiveSRStorage, UID.EncapsulatedPDFStorage,
            UID.GrayscaleSoftcopyPresentationStateStorage, UID.VLPhotographicImageStorage,
            UID.MultiFrameGrayscaleByteSecondaryCaptureImageStorage, UID.TwelveLeadECGWaveformStorage);
    /** Encapsulated syntaxes offered for C-GET, each in its own presentation context (one is chosen per context). */
    private static final List<String> GET_COMPRESSED = List.of(UID.JPEGBaseline8Bit, UID.JPEGExtended12Bit,
            UID.JPEGLosslessSV1, UID.JPEGLossless, UID.JPEG2000Lossless, UID.JPEG2000, UID.JPEGLSLossless,
            UID.JPEGLSNearLossless, UID.RLELossless);

    private final AssociationConfig config;

    public DicomClient(AssociationConfig config) {
        this.config = config;
    }

    public static DicomClient of(String aeTitle) {
        return new DicomClient(AssociationConfig.of(aeTitle));
    }

    public AssociationConfig config() {
        return config;
    }

    // ---- one-line operations ---------------------------------------------------------------------

    /** C-ECHO; throws when the peer does not answer success. */
    public void echo(RemoteAe remote) throws IOException {
        try (Association as = connect(remote, List.of(PresentationContext.proposed(1, UID.Verification,
                UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)), List.of())) {
            check("C-ECHO", DimseScu.echo(as));
        }
    }

    /** Studies of a patient (Study Root, STUDY level). */
    public List<Attributes> findStudies(RemoteAe remote, String patientId) throws IOException {
        Attributes keys = Queries.studyKeys();
        keys.setString(Tag.PatientID, VR.LO, patientId);
        return find(remote, QueryModel.STUDY_ROOT, keys);
    }

    /** Series of a study (Study Root, SERIES level). */
    public List<Attributes> findSeries(RemoteAe remote, String studyUid) throws IOException {
        return find(remote, QueryModel.STUDY_ROOT, Queries.seriesKeys(studyUid));
    }

    /** Instances of a series (Study Root, IMAGE level). */
    public List<Attributes> findInstances(RemoteAe remote, String studyUid, String seriesUid) throws IOException {
        return find(remote, QueryModel.STUDY_ROOT, Queries.instanceKeys(studyUid, seriesUid));
    }

    /** Largest number of matches {@link #find} collects; beyond it a C-CANCEL is sent (hostile or huge answers). */
    public static final int MAX_MATCHES = 10_000;

    /**
     * C-FIND with any keys (Query/Retrieve Level included); matches in memory, at most {@link #MAX_MATCHES}
     * (then the query is cancelled and {@link DimseException} with status Cancel is thrown).
     */
    public List<Attributes> find(RemoteAe remote, QueryModel model, Attributes keys) throws IOException {
        List<Attributes> out = new ArrayList<>();
        try (Association as = connect(remote, List.of(PresentationContext.proposed(1, model.find(),
                UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)), List.of())) {
            java.util.concurrent.atomic.AtomicBoolean overflow = new java.util.concurrent.atomic.AtomicBoolean();
            int status = DimseScu.find(as, model.find(), keys, m -> {
                if (out.size() >= MAX_MATCHES) {
                    overflow.set(true);
                    return false;
                }
                return out.add(m);
            });
            check("C-FIND", overflow.get() ? Dimse.CANCEL : status);
        }
        return out;
    }

    /** C-MOVE of a study to {@code destinationAe}. */
    public RetrieveResult moveStudy(RemoteAe remote, String studyUid, String destinationAe) throws IOException {
        return move(remote, QueryModel.STUDY_ROOT, Queries.retrieveStudy(studyUid), destinationAe);
    }

    public RetrieveResult move(RemoteAe remote, QueryModel model, Attributes keys, String destinationAe)
            throws IOException {
        try (Association as = connect(remote, List.of(PresentationContext.proposed(1, model.move(),
                UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)), List.of())) {
            return DimseScu.move(as, model.move(), keys, destinationAe);
        }
    }

    /**
     * C-GET of a study; each instance goes to {@code handler}. The study's SOP classes are found first (C-FIND
     * at SERIES and IMAGE level) because C-GET needs a presentation context for each of them up front.
     */
    public RetrieveResult getStudy(RemoteAe remote, String studyUid, StoreHandler handler) throws IOException {
        Set<String> classes = new LinkedHashSet<>();
        String find = QueryModel.STUDY_ROOT.find();
        try (Association as = connect(remote, List.of(PresentationContext.proposed(1, find,
                UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)), List.of())) {
            List<String> seriesUids = new ArrayList<>();
            checkFind(DimseScu.find(as, find, Queries.seriesKeys(studyUid), m -> {
                String uid = m.getString(Tag.SeriesInstanceUID);
                if (uid != null) {
                    seriesUids.add(uid);
                }
                return seriesUids.size() < MAX_MATCHES;
            }));
            for (String seriesUid : seriesUids) {
                checkFind(DimseScu.find(as, find, Queries.instanceKeys(studyUid, seriesUid), m -> {
                    String cuid = m.getString(Tag.SOPClassUID);
                    if (cuid != null) {
                        classes.add(cuid);
                    }
                    return classes.size() < 100;
                }));
            }
        }
        return get(remote, QueryModel.STUDY_ROOT, Queries.retrieveStudy(studyUid),
                classes.isEmpty() ? COMMON_STORAGE : classes, handler);
    }

    /**
     * C-GET, proposing the SCP role for {@code storageClasses}: per class one context for the uncompressed syntaxes
     * and one per compressed syntax, as far as the 128-context limit allows.
     */
    public RetrieveResult get(RemoteAe remote, QueryModel model, Attributes keys, Collection<String> storageClasses,
                              StoreHandler handler) throws IOException {
        List<PresentationContext> pcs = new ArrayList<>();
        pcs.add(PresentationContext.proposed(1, model.get(), UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian));
        List<RoleSelection> roles = new ArrayList<>();
        int id = 3;
        for (String cuid : storageClasses) {
            if (pcs.size() >= 128) {
                break;
            }
            pcs.add(PresentationContext.proposed(id, cuid, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian));
            roles.add(new RoleSelection(cuid, false, true));
            id += 2;
        }
        int perClass = Math.max(0, (128 - pcs.size()) / Math.max(1, storageClasses.size()));
        for (String cuid : storageClasses) {
            for (String ts : GET_COMPRESSED.subList(0, Math.min(perClass, GET_COMPRESSED.size()))) {
                pcs.add(PresentationContext.proposed(id, cuid, ts));
                id += 2;
            }
        }
        DicomClient receiving = new DicomClient(config.withStoreHandler(config.spoolDir(), handler));
        try (Association as = receiving.connect(remote, pcs, roles)) {
            return DimseScu.get(as, model.get(), keys);
        }
    }

    /** C-STORE of PS3.10 files over one association. */
    public RetrieveResult store(RemoteAe remote, List<Path> files) throws IOException {
        int completed = 0;
        int failed = 0;
        int warning = 0;
        try (Association as = connect(remote, storageContexts(files), List.of())) {
            for (Path f : files) {
                int st = DimseScu.store(as, f, null, 0);
                if (st == Dimse.SUCCESS) {
                    completed++;
                } else if ((st & 0xF000) == 0xB000) {
                    warning++;
                } else {
                    failed++;
                }
            }
        }
        int status = failed == 0 && warning == 0 ? Dimse.SUCCESS : Dimse.SUB_OPERATIONS_WARNING;
        return new RetrieveResult(status, completed, failed, warning);
    }

    /** Presentation contexts for sending {@code files}: per SOP class and encoding. */
    public static List<PresentationContext> storageContexts(List<Path> files) throws IOException {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (Path f : files) {
            DicomFile df = DicomFile.read(f);
            String cuid = df.dataset().getString(Tag.SOPClassUID, df.fileMeta().getString(Tag.MediaStorageSOPClassUID));
            TransferSyntax ts = df.transferSyntax();
            String key = cuid + "|" + (ts.encapsulated() ? ts.uid() : "native");
            wanted.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(DimseScu.candidateSyntaxes(ts));
        }
        List<PresentationContext> pcs = new ArrayList<>();
        int id = 1;
        for (Map.Entry<String, Set<String>> e : wanted.entrySet()) {
            if (pcs.size() >= 128) {
                throw new IOException("more than 128 presentation contexts needed; send in batches");
            }
            pcs.add(new PresentationContext(id, e.getKey().substring(0, e.getKey().indexOf('|')),
                    List.copyOf(e.getValue()), 0));
            id += 2;
        }
        return pcs;
    }

    /** Success, or Cancel after we stopped reading matches. */
    private static void checkFind(int status) throws DimseException {
        if (status != Dimse.SUCCESS && status != Dimse.CANCEL) {
            throw new DimseException("C-FIND", status);
        }
    }

    private static void check(String op, int status) throws DimseException {
        if (status != Dimse.SUCCESS) {
            throw new DimseException(op, status);
        }
    }

    // ---- association establishment ---------------------------------------------------------------

    /** Opens an association (TCP_NODELAY; TLS when configured); the reader runs on its own thread. */
    public Association connect(RemoteAe remote, List<PresentationContext> contexts, List<RoleSelection> roles)
            throws IOException {
        Socket s = config.tls() != null ? config.tls().getSocketFactory().createSocket() : new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(remote.host(), remote.port()), (int) config.timeouts().connect().toMillis());
            s.setSoTimeout(config.timeouts().artimMillis());
            if (s instanceof SSLSocket ssl) {
                TlsPolicy.apply(ssl);
                ssl.startHandshake();
            }
            PduIO io = new PduIO(new BufferedInputStream(s.getInputStream(), 64 * 1024),
                    new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
            AssociateParams rq = new AssociateParams();
            rq.callingAe = config.aeTitle();
            rq.calledAe = remote.aeTitle();
            rq.contexts.addAll(contexts);
            rq.roles.addAll(roles);
            rq.maxPduLength = config.maxPduLength();
            rq.implementationClassUid = DicomFile.IMPLEMENTATION_CLASS_UID;
            rq.implementationVersion = DicomFile.IMPLEMENTATION_VERSION;
            io.write(PduIO.ASSOCIATE_RQ, rq.encode(true));
            PduIO.Pdu rsp = io.read(0);
            switch (rsp.type()) {
                case PduIO.ASSOCIATE_AC -> {
                    AssociateParams ac = AssociateParams.decode(rsp.body(), false);
                    Association as = new Association(s, io, config, rq, ac, true);
                    as.start(true);
                    return as;
                }
                case PduIO.ASSOCIATE_RJ -> throw new RejectException(rsp.body()[1] & 0xFF, rsp.body()[2] & 0xFF,
                        rsp.body()[3] & 0xFF);
                case PduIO.ABORT -> throw new AbortException(rsp.body()[2] & 0xFF, rsp.body()[3] & 0xFF,
                        "association aborted by " + remote.aeTitle());
                default -> {
                    io.write(PduIO.ABORT, new byte[] {0, 0, 2, AbortException.REASON_UNEXPECTED_PDU});
                    throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_UNEXPECTED_PDU,
                            "unexpected PDU " + rsp.type() + " in reply to A-ASSOCIATE-RQ");
                }
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
