package nl.beeldbrug.conformance.fhir;

import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import static nl.beeldbrug.conformance.support.Xds.assertSuccess;

/**
 * Imaging studies registered the way a hospital does it: one ITI-41 per study with the KOS manifest
 * (application/dicom, KOS formatCode) and the radiology report, or the report alone, sharing the Study
 * Instance UID and an issued accession number in their referenceIdList, the modality and body site in
 * their eventCodeList. The manifest's serviceStartTime is {@code started}, the report's an hour later.
 */
final class Studies {

    static final String DCM_OID = "1.2.840.10008.2.16.4";
    static final String SNOMED_OID = "2.16.840.1.113883.6.96";
    /** The accession numbers' issuer (a hospital's OID under the URA arc). */
    static final String ACCESSION_ISSUER = "2.16.528.1.1007.3.3.12000001.7";
    private static final DateTimeFormatter HL7_DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    /** What was registered for one study. */
    record Study(String uid, String accession, String modality, String bodySite, Instant started, boolean withManifest) {
        String status() {
            return withManifest ? "available" : "registered";
        }
    }

    private Studies() {
    }

    static Study register(XdsClient client, String bsn, String modality, String bodySite, Instant started, boolean withManifest) {
        String uid = Submission.uid();
        String accession = "CONF-" + UUID.randomUUID().toString().substring(0, 8);
        Submission submission = Submission.forPatient(bsn);
        DocumentEntry report = submission.document("Verslag " + modality + " " + bodySite + "\nConclusie: geen afwijkingen.\n");
        describe(report, uid, accession, modality, bodySite, started.plusSeconds(3600));
        report.setTitle(new LocalizedString("Verslag " + modality, "nl-NL", "UTF-8"));
        if (withManifest) {
            byte[] kos = ("DICM KOS " + uid).getBytes(StandardCharsets.US_ASCII);
            DocumentEntry manifest = submission.document(kos);
            manifest.setMimeType("application/dicom");
            manifest.setFormatCode(Submission.FORMAT_KOS);
            manifest.setClassCode(Submission.CLASS_IMAGES);
            manifest.setTypeCode(Submission.TYPE_CT);
            manifest.setTitle(new LocalizedString(modality + " " + bodySite, "nl-NL", "UTF-8"));
            describe(manifest, uid, accession, modality, bodySite, started);
        }
        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));
        // a study's start is its earliest document's serviceStartTime: the report's when it is alone
        return new Study(uid, accession, modality, bodySite, withManifest ? started : started.plusSeconds(3600), withManifest);
    }

    private static void describe(DocumentEntry entry, String uid, String accession, String modality, String bodySite, Instant start) {
        entry.getReferenceIdList().clear();
        entry.getReferenceIdList().add(new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.getReferenceIdList().add(new ReferenceId(accession, new CXiAssigningAuthority(null, ACCESSION_ISSUER, "ISO"),
                ReferenceId.ID_TYPE_CODE_ACCESSION));
        entry.getEventCodeList().clear();
        entry.getEventCodeList().add(Submission.code(modality, DCM_OID, modality));
        entry.getEventCodeList().add(Submission.code(bodySite, SNOMED_OID, "body site " + bodySite));
        entry.setServiceStartTime(HL7_DTM.format(start));
        entry.setServiceStopTime(HL7_DTM.format(start.plusSeconds(900)));
        entry.setCreationTime(HL7_DTM.format(start.plusSeconds(1800)));
    }

    static List<String> uids(List<Study> studies) {
        return studies.stream().map(Study::uid).toList();
    }
}
