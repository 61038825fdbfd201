package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.QueryModel;
import nl.beeldbrug.adapters.dicom.net.Queries;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicom.net.RetrieveResult;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DICOM Q/R SCP as release points (package {@code qr}), driven in-process with {@link DicomClient}: each
 * requester (URA + purpose) has its own calling AE title in {@code beeldbrug.dicom.calling-aes} ({@link #register}).
 * C-FIND Study Root at STUDY level by the patient's BSN answers exactly the studies whose images the oracle permits,
 * with status success; C-GET of one study brings the archive's instance when permitted and answers a denied study
 * exactly like a never-registered one (status and sub-operation counts).
 */
final class QrReleasePoints {

    private static final String BSN_ISSUER = "2.16.840.1.113883.2.4.6.3";
    private static final String UNKNOWN_STUDY = "2.25.47114711";

    private final RemoteAe scp;
    private final ConcurrentHashMap<String, RetrieveResult> absent = new ConcurrentHashMap<>();

    QrReleasePoints(int port) {
        this.scp = RemoteAe.of("BEELDBRUG", "127.0.0.1", port);
    }

    /** One calling AE per organisation and purpose (the role is not part of a DICOM requester). */
    static String callingAe(LeakWorld.Organisation organisation, PurposeOfUse purpose) {
        return "LQ" + organisation.ura().value() + "P" + purpose.ordinal();
    }

    /** The Q/R SCP on a free loopback port, strict calling AE titles, one per organisation and purpose. */
    static void register(DynamicPropertyRegistry registry, int port) {
        registry.add("beeldbrug.dicom.qr.port", () -> port);
        registry.add("beeldbrug.dicom.qr.bind-address", () -> "127.0.0.1");
        registry.add("beeldbrug.dicom.strict-calling-ae", () -> "true");
        int i = 0;
        for (LeakWorld.Organisation organisation : LeakWorld.organisations()) {
            for (PurposeOfUse purpose : PurposeOfUse.values()) {
                String p = "beeldbrug.dicom.calling-aes[" + i++ + "].";
                registry.add(p + "ae-title", () -> callingAe(organisation, purpose));
                registry.add(p + "ura", () -> organisation.ura().value());
                registry.add(p + "purpose", purpose::code);
            }
        }
    }

    List<ReleasePoint> all() {
        return List.of(ReleasePoint.of("qr C-FIND STUDY", 1, this::find),
                ReleasePoint.of("qr C-GET study", 1, this::get));
    }

    private DicomClient client(ReleasePoint.Case c) {
        return DicomClient.of(callingAe(c.requester().organisation(), c.requester().purpose()));
    }

    private String find(ReleasePoint.Case c, String name) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (LeakWorld.Study study : c.oracle().world().studiesOf(c.patient())) {
            boolean permitted = c.oracle().permits(c.requester(), study, DataClass.IMAGING_STUDY);
            c.tally().verdict(name, permitted);
            if (permitted) {
                expected.add(study.uid());
            }
        }
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.PatientID, VR.LO, c.patient().value());
        keys.setString(Tag.IssuerOfPatientID, VR.LO, BSN_ISSUER);
        keys.put(Tag.StudyInstanceUID, VR.UI, null);
        keys.put(Tag.StudyDate, VR.DA, null);
        // find() throws unless the final status is success
        List<Attributes> matches = client(c).find(scp, QueryModel.STUDY_ROOT, keys);
        List<String> found = new ArrayList<>();
        for (Attributes m : matches) {
            found.add(m.getString(Tag.StudyInstanceUID));
        }
        Set<String> foundSet = new TreeSet<>(found);
        if (found.size() != foundSet.size() || !foundSet.equals(expected)) {
            return "C-FIND: studies " + found + ", oracle " + expected;
        }
        return null;
    }

    /** C-GET of one study (of the case's patient; one in five of anyone). */
    private String get(ReleasePoint.Case c, String name) throws Exception {
        List<LeakWorld.Study> own = c.oracle().world().studiesOf(c.patient());
        List<LeakWorld.Study> from = own.isEmpty() || c.random().nextInt(5) == 0 ? c.oracle().world().studies : own;
        LeakWorld.Study study = from.get(c.random().nextInt(from.size()));
        boolean permitted = c.oracle().permits(c.requester(), study, DataClass.IMAGING_STUDY);
        c.tally().verdict(name, permitted);
        AtomicInteger received = new AtomicInteger();
        RetrieveResult result = get(c, study.uid(), received);
        if (permitted) {
            return result.status() == Dimse.SUCCESS && result.completed() == 1 && result.failed() == 0 && received.get() == 1
                    ? null : "C-GET of a permitted study: " + result + ", " + received + " received";
        }
        if (received.get() != 0) {
            return "C-GET: a denied study's instance was sent";
        }
        RetrieveResult unknown = absent.computeIfAbsent("get", k -> {
            try {
                return get(c, UNKNOWN_STUDY, new AtomicInteger());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return result.equals(unknown) ? null : "C-GET: denied study answered " + result + ", an unknown one " + unknown;
    }

    private RetrieveResult get(ReleasePoint.Case c, String studyUid, AtomicInteger received) throws Exception {
        return client(c).get(scp, QueryModel.STUDY_ROOT, Queries.retrieveStudy(studyUid),
                List.of(UID.SecondaryCaptureImageStorage), instance -> {
                    received.incrementAndGet();
                    Files.deleteIfExists(instance.file());
                    return Dimse.SUCCESS;
                });
    }
}
