package nl.beeldbrug.bench.ingest;

import jakarta.activation.DataHandler;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.attachment.AttachmentMarshaller;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.xds.BytesDataSource;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.ProvideAndRegisterDocumentSetRequestType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One study as an ITI-41 Provide and Register Document Set-b request in its RAD-68 form: a
 * SubmissionSet with the KOS manifest DocumentEntry and the radiology report DocumentEntry and both
 * documents, rendered once with IPF's ebXML 3.0 transformer and JAXB into a SOAP 1.2 envelope with
 * WS-Addressing, the documents as MTOM/XOP parts (multipart/related), as an IPF/CXF client sends it.
 * Rendering happens before the request is timed; sending is then a plain HTTP POST of these bytes.
 */
public final class Iti41Request {

    public static final String ACTION = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
    private static final String BOUNDARY = "uuid:beeldbrug-bench-mime-boundary";
    private static final String ROOT_ID = "root.message@beeldbrug.bench";
    private static final String SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success";
    private static final JAXBContext JAXB;

    static {
        try {
            JAXB = JAXBContext.newInstance(ProvideAndRegisterDocumentSetRequestType.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<Marshaller> MARSHALLERS = ThreadLocal.withInitial(() -> {
        try {
            Marshaller m = JAXB.createMarshaller();
            m.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
            return m;
        } catch (JAXBException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ProvideAndRegisterDocumentSetTransformer TRANSFORMER =
            new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30());

    /** What a request registers: the study's uniqueIds (submission set, manifest, report or "-" when it has none). */
    public record Ids(String submissionSet, String manifest, String report) {
    }

    /** A rendered request: the HTTP body and its Content-Type. */
    public record Rendered(int patient, int study, Ids ids, byte[] body, String contentType) {
    }

    private Iti41Request() {
    }

    /** The request in IPF's simplified model (the study's entries get their documents' hash and size). */
    public static ProvideAndRegisterDocumentSet of(SyntheticStudies.Study study) {
        byte[] kos = KosDocument.of(study);
        String studyUid = KosDocument.studyInstanceUid(study.manifest());
        SubmissionSet set = study.submissionSet();
        set.setEntryUuid(uuid(set.getUniqueId()));
        DocumentEntry manifest = document(study.manifest(), kos);

        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(set);
        request.getDocuments().add(new Document(manifest, new DataHandler(new BytesDataSource(kos, "application/dicom"))));
        request.getAssociations().add(member(set, manifest, studyUid + ".m"));
        if (study.report() != null) { // a study without a report registers its manifest only
            byte[] report = study.reportText().getBytes(StandardCharsets.UTF_8);
            DocumentEntry reportEntry = document(study.report(), report);
            request.getDocuments().add(new Document(reportEntry, new DataHandler(new BytesDataSource(report, "text/plain"))));
            request.getAssociations().add(member(set, reportEntry, studyUid + ".r"));
        }
        return request;
    }

    /** Renders one study (the calling thread's marshaller; cheap enough for a renderer thread). */
    public static Rendered render(int patient, int studyIndex, SyntheticStudies.Study study, String endpoint) {
        ProvideAndRegisterDocumentSet request = of(study);
        Ids ids = new Ids(study.submissionSet().getUniqueId(), study.manifest().getUniqueId(),
                study.report() == null ? "-" : study.report().getUniqueId());
        ProvideAndRegisterDocumentSetRequestType ebXml = TRANSFORMER.toEbXML(request).getInternal();
        List<byte[]> parts = new ArrayList<>();
        List<String> partTypes = new ArrayList<>();
        Marshaller marshaller = MARSHALLERS.get();
        marshaller.setAttachmentMarshaller(new Xop(parts, partTypes));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            out.write(("--" + BOUNDARY + "\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n"
                    + "Content-Transfer-Encoding: binary\r\nContent-ID: <" + ROOT_ID + ">\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(envelopeStart(endpoint).getBytes(StandardCharsets.UTF_8));
            marshaller.marshal(ebXml, out);
            out.write("</soap:Body></soap:Envelope>".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < parts.size(); i++) {
                out.write(("\r\n--" + BOUNDARY + "\r\nContent-Type: " + partTypes.get(i) + "\r\nContent-Transfer-Encoding: binary\r\n"
                        + "Content-ID: <" + partId(i) + ">\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(parts.get(i));
            }
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot render the ITI-41 request", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(patient, studyIndex, ids, out.toByteArray(), contentType());
    }

    public static String contentType() {
        return "multipart/related; type=\"application/xop+xml\"; boundary=\"" + BOUNDARY + "\"; start=\"<" + ROOT_ID + ">\"; "
                + "start-info=\"application/soap+xml\"; action=\"" + ACTION + "\"";
    }

    /** The registry's answer is a RegistryResponse with status Success (anything else is an error). */
    public static boolean isSuccess(String responseBody) {
        return responseBody != null && responseBody.contains("status=\"" + SUCCESS + "\"");
    }

    private static String envelopeStart(String endpoint) {
        return "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\">"
                + "<soap:Header><wsa:Action soap:mustUnderstand=\"true\">" + ACTION + "</wsa:Action>"
                + "<wsa:MessageID>urn:uuid:" + UUID.randomUUID() + "</wsa:MessageID>"
                + "<wsa:To soap:mustUnderstand=\"true\">" + endpoint + "</wsa:To>"
                + "<wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>"
                + "</soap:Header><soap:Body>";
    }

    static String partId(int i) {
        return "document" + i + "@beeldbrug.bench";
    }

    private static DocumentEntry document(DocumentEntry entry, byte[] bytes) {
        entry.setEntryUuid(uuid(entry.getUniqueId()));
        entry.setHash(sha1(bytes));
        entry.setSize((long) bytes.length);
        entry.setRepositoryUniqueId(null); // the repository sets its own
        return entry;
    }

    private static Association member(SubmissionSet set, DocumentEntry entry, String seed) {
        Association a = new Association(AssociationType.HAS_MEMBER, uuid(seed), set.getEntryUuid(), entry.getEntryUuid());
        a.setLabel(AssociationLabel.ORIGINAL);
        return a;
    }

    /** A name-based urn:uuid: the same study always gets the same entryUUIDs. */
    private static String uuid(String seed) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts every document into its own MIME part and refers to it with xop:Include. */
    private static final class Xop extends AttachmentMarshaller {
        private final List<byte[]> parts;
        private final List<String> types;

        Xop(List<byte[]> parts, List<String> types) {
            this.parts = parts;
            this.types = types;
        }

        @Override
        public boolean isXOPPackage() {
            return true;
        }

        @Override
        public String addMtomAttachment(DataHandler data, String namespace, String localName) {
            try {
                parts.add(data.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            types.add(data.getContentType());
            return "cid:" + partId(parts.size() - 1);
        }

        @Override
        public String addMtomAttachment(byte[] data, int offset, int length, String mimeType, String namespace, String localName) {
            parts.add(java.util.Arrays.copyOfRange(data, offset, offset + length));
            types.add(mimeType == null ? "application/octet-stream" : mimeType);
            return "cid:" + partId(parts.size() - 1);
        }

        @Override
        public String addSwaRefAttachment(DataHandler data) {
            throw new UnsupportedOperationException("swaRef");
        }
    }
}
