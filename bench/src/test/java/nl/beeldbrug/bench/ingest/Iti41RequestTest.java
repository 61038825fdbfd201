package nl.beeldbrug.bench.ingest;

import jakarta.activation.DataHandler;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.attachment.AttachmentUnmarshaller;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.KosManifest;
import nl.beeldbrug.adapters.dicom.kos.KosManifestParser;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.registry.xds.BytesDataSource;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLProvideAndRegisterDocumentSetRequest30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.ProvideAndRegisterDocumentSetRequestType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.ProvideAndRegisterDocumentSetRequestValidator;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered ITI-41 request is what IPF on the gateway accepts: it parses, validates (ITI-41) and carries a real KOS. */
class Iti41RequestTest {

    private static final Corpus CORPUS = new Corpus(41, 50, 10, ZonedDateTime.parse("2026-11-20T12:00:00+01:00[Europe/Amsterdam]"));
    private static final String ENDPOINT = "http://127.0.0.1:8080/services/repository/iti41";

    private static StudySource.Patient patient(int p) {
        return StudySource.of(CORPUS).patient(p);
    }

    @Test
    void renderedRequestParsesValidatesAndCarriesTheKosAndTheReport() throws Exception {
        StudySource.Patient patient = patient(3);
        var study = patient.studies().get(0);
        String reportText = study.reportText();
        Iti41Request.Rendered rendered = Iti41Request.render(3, 0, study, ENDPOINT);

        assertThat(rendered.contentType()).startsWith("multipart/related; type=\"application/xop+xml\"")
                .contains("start-info=\"application/soap+xml\"");
        Map<String, byte[]> parts = parts(rendered);
        String envelope = new String(parts.get("root.message@beeldbrug.bench"), StandardCharsets.UTF_8);
        assertThat(envelope).contains("<wsa:Action soap:mustUnderstand=\"true\">urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b</wsa:Action>")
                .contains("<wsa:To soap:mustUnderstand=\"true\">" + ENDPOINT + "</wsa:To>")
                .contains("http://www.w3.org/2003/05/soap-envelope")
                .contains("xop:Include").doesNotContain("</Document>"); // documents are MTOM parts, not inline base64

        ProvideAndRegisterDocumentSet request = validated(rendered);
        assertThat(request.getDocuments()).hasSize(2);
        assertThat(request.getSubmissionSet().getUniqueId()).isEqualTo(rendered.ids().submissionSet());
        Document manifest = request.getDocuments().get(0);
        Document report = request.getDocuments().get(1);
        assertThat(manifest.getDocumentEntry().getMimeType()).isEqualTo("application/dicom");
        assertThat(manifest.getDocumentEntry().getUniqueId()).isEqualTo(rendered.ids().manifest());
        assertThat(manifest.getDocumentEntry().getFormatCode().getCode()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.59");
        assertThat(report.getDocumentEntry().getUniqueId()).isEqualTo(rendered.ids().report());

        byte[] kos = manifest.getDataHandler().getInputStream().readAllBytes();
        assertThat(manifest.getDocumentEntry().getHash()).isEqualTo(sha1(kos));
        assertThat(manifest.getDocumentEntry().getSize()).isEqualTo(kos.length);
        KosManifest parsed = KosManifestParser.parse(DicomFile.read(new ByteArrayInputStream(kos), null).dataset());
        assertThat(parsed.sopInstanceUid()).isEqualTo(rendered.ids().manifest()); // RAD-68: uniqueId = SOP Instance UID
        assertThat(parsed.patientId()).isEqualTo(patient.bsn().value());
        assertThat(parsed.references()).isNotEmpty();

        byte[] text = report.getDataHandler().getInputStream().readAllBytes();
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo(reportText);
        assertThat(report.getDocumentEntry().getHash()).isEqualTo(sha1(text));
    }

    @Test
    void nationalCorpusStudiesWithAndWithoutReportValidate() throws Exception {
        NationalCorpus national = NationalCorpus.of(9, 20, 100, ZonedDateTime.parse("2026-11-20T12:00:00+01:00[Europe/Amsterdam]"));
        StudySource source = StudySource.of(national);
        int withReport = 0, without = 0;
        for (int p = 0; p < source.patients(); p++) {
            var studies = source.patient(p).studies();
            for (int i = 0; i < studies.size(); i++) {
                boolean hasReport = studies.get(i).report() != null;
                ProvideAndRegisterDocumentSet request = validated(Iti41Request.render(p, i, studies.get(i), ENDPOINT));
                assertThat(request.getDocuments()).hasSize(hasReport ? 2 : 1);
                if (hasReport) {
                    withReport++;
                } else {
                    without++;
                }
            }
        }
        assertThat(withReport).isPositive();
        assertThat(without).isPositive();
    }

    /** Parses the rendered request as the gateway does and validates it with IPF's ITI-41 validator (throws when invalid). */
    private static ProvideAndRegisterDocumentSet validated(Iti41Request.Rendered rendered) throws Exception {
        Map<String, byte[]> parts = parts(rendered);
        String envelope = new String(parts.get("root.message@beeldbrug.bench"), StandardCharsets.UTF_8);
        var message = new EbXMLProvideAndRegisterDocumentSetRequest30(unmarshal(envelope, parts));
        // as the gateway's route does (XdsCamelValidators.iti41RequestValidator)
        ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(message, XDS.Interactions.ITI_41);
        return new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30()).fromEbXML(message);
    }

    @Test
    void aStudyRendersToTheSameDocumentsEveryTime() throws Exception {
        var first = parts(Iti41Request.render(2, 1, patient(2).studies().get(0), ENDPOINT));
        var again = parts(Iti41Request.render(2, 1, patient(2).studies().get(0), ENDPOINT));
        assertThat(again.get("document0@beeldbrug.bench")).isEqualTo(first.get("document0@beeldbrug.bench"));
        assertThat(again.get("document1@beeldbrug.bench")).isEqualTo(first.get("document1@beeldbrug.bench"));
    }

    @Test
    void successIsTheRegistryResponseStatus() {
        assertThat(Iti41Request.isSuccess("<rs:RegistryResponse xmlns:rs=\"x\" status=\"urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success\"/>")).isTrue();
        assertThat(Iti41Request.isSuccess("<rs:RegistryResponse status=\"urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure\"/>")).isFalse();
        assertThat(Iti41Request.isSuccess("<rs:RegistryResponse status=\"urn:ihe:iti:2007:ResponseStatusType:PartialSuccess\"/>")).isFalse();
    }

    /** The MIME parts by Content-ID. */
    private static Map<String, byte[]> parts(Iti41Request.Rendered rendered) {
        Matcher b = Pattern.compile("boundary=\"([^\"]+)\"").matcher(rendered.contentType());
        assertThat(b.find()).isTrue();
        String body = new String(rendered.body(), StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new HashMap<>();
        for (String part : body.split("\r\n--" + Pattern.quote(b.group(1)))) {
            String p = part.startsWith("--" + b.group(1)) ? part.substring(2 + b.group(1).length()) : part;
            int headersEnd = p.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            Matcher id = Pattern.compile("Content-ID: <([^>]+)>").matcher(p.substring(0, headersEnd));
            if (id.find()) {
                parts.put(id.group(1), p.substring(headersEnd + 4).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return parts;
    }

    private static ProvideAndRegisterDocumentSetRequestType unmarshal(String envelope, Map<String, byte[]> parts) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var dom = factory.newDocumentBuilder().parse(new ByteArrayInputStream(envelope.getBytes(StandardCharsets.UTF_8)));
        Element request = (Element) dom.getElementsByTagNameNS("urn:ihe:iti:xds-b:2007", "ProvideAndRegisterDocumentSetRequest").item(0);
        Unmarshaller unmarshaller = JAXBContext.newInstance(ProvideAndRegisterDocumentSetRequestType.class).createUnmarshaller();
        unmarshaller.setAttachmentUnmarshaller(new AttachmentUnmarshaller() {
            @Override
            public boolean isXOPPackage() {
                return true;
            }

            @Override
            public DataHandler getAttachmentAsDataHandler(String cid) {
                return new DataHandler(new BytesDataSource(getAttachmentAsByteArray(cid), "application/octet-stream"));
            }

            @Override
            public byte[] getAttachmentAsByteArray(String cid) {
                byte[] bytes = parts.get(cid.replaceFirst("^cid:", ""));
                assertThat(bytes).as(cid).isNotNull();
                return bytes;
            }
        });
        return unmarshaller.unmarshal(request, ProvideAndRegisterDocumentSetRequestType.class).getValue();
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }
}
