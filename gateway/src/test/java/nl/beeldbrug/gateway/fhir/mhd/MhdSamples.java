package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.registry.testing.SampleMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/** Registered XDS objects with fixed ids and times, for golden files and mapping tests. */
final class MhdSamples {

    static final String BASE = "https://beeldbrug.example/fhir";
    static final String STUDY_UID = "1.2.826.0.1.3680043.8.498.12345678901234567890";
    static final String ACCESSION_ISSUER = "2.16.528.1.1007.99.217.4";

    private MhdSamples() {
    }

    static DocumentEntry kos() {
        DocumentEntry entry = SampleMetadata.forPatient(SampleMetadata.BSN).kos(STUDY_UID);
        registered(entry, "urn:uuid:6b4f3c1e-2d5a-4e8f-9b7c-0a1d2e3f4a5b", "1.2.528.1.1007.99.217.10.1");
        entry.getReferenceIdList().clear();
        entry.getReferenceIdList().add(new ReferenceId(STUDY_UID, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.getReferenceIdList().add(new ReferenceId("ACC4711", new CXiAssigningAuthority(null, ACCESSION_ISSUER, "ISO"),
                ReferenceId.ID_TYPE_CODE_ACCESSION));
        return entry;
    }

    static DocumentEntry report() {
        DocumentEntry entry = SampleMetadata.forPatient(SampleMetadata.BSN).report(STUDY_UID);
        registered(entry, "urn:uuid:7c5a4d2f-3e6b-4f9a-8c8d-1b2e3f4a5b6c", "1.2.528.1.1007.99.217.10.2");
        entry.getReferenceIdList().clear();
        entry.getReferenceIdList().add(new ReferenceId(STUDY_UID, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.setAvailabilityStatus(AvailabilityStatus.DEPRECATED);
        return entry;
    }

    private static void registered(DocumentEntry entry, String uuid, String uniqueId) {
        entry.setEntryUuid(uuid);
        entry.setLogicalUuid(uuid);
        entry.setUniqueId(uniqueId);
        entry.setHash("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
        entry.setSize(1234L);
        entry.setAvailabilityStatus(AvailabilityStatus.APPROVED);
    }

    static SubmissionSet submissionSet() {
        SubmissionSet set = SampleMetadata.forPatient(SampleMetadata.BSN).submissionSet();
        set.setEntryUuid("urn:uuid:8d6b5e3a-4f7c-4a0b-9d9e-2c3f4a5b6c7d");
        set.setUniqueId("1.2.528.1.1007.99.217.11.1");
        set.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        return set;
    }

    static Folder folder() {
        Folder folder = SampleMetadata.forPatient(SampleMetadata.BSN).folder();
        folder.setEntryUuid("urn:uuid:9e7c6f4b-5a8d-4b1c-8e0f-3d4a5b6c7d8e");
        folder.setUniqueId("1.2.528.1.1007.99.217.12.1");
        folder.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        folder.setLastUpdateTime(new Timestamp(ZonedDateTime.of(2024, 3, 1, 11, 0, 0, 0, ZoneOffset.UTC), Timestamp.Precision.SECOND));
        return folder;
    }

    static String key(Code code) {
        return code == null ? null : code.getCode() + "^" + code.getSchemeName();
    }

    static List<String> keys(List<Code> codes) {
        return codes.stream().map(MhdSamples::key).toList();
    }
}
