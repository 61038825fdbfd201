package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.time.Instant;
import java.util.List;

/** Names shared by the consent tests. */
final class ConsentFixtures {

    static final Bsn PATIENT = Bsn.of("999990019");
    static final Bsn OTHER_PATIENT = Bsn.of("999990020");
    static final Ura HOSPITAL_A = Ura.of("90000001");
    static final Ura HOSPITAL_B = Ura.of("90000002");
    static final Ura ZDC_C = Ura.of("90000003");
    static final Ura AI_LAB = Ura.of("90000004");
    static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    static final String STUDY = "1.2.528.1.1001.200.1";
    static final String OTHER_STUDY = "1.2.528.1.1001.200.2";

    private ConsentFixtures() {
    }

    static RequestContext request(Ura ura, OrganisationType type, PurposeOfUse purpose) {
        return new RequestContext(ura, type, "01.015", "uzi-123456", purpose, NOW);
    }

    static RequestContext hospitalB(PurposeOfUse purpose) {
        return request(HOSPITAL_B, OrganisationType.HOSPITAL, purpose);
    }

    static RequestContext aiLab(PurposeOfUse purpose) {
        return request(AI_LAB, OrganisationType.AI_PLATFORM, purpose);
    }

    static ResourceMetadata images(String study) {
        return new ResourceMetadata(PATIENT, study, DataClass.IMAGING_STUDY, HOSPITAL_A, OrganisationType.HOSPITAL);
    }

    static ResourceMetadata report(String study) {
        return new ResourceMetadata(PATIENT, study, DataClass.REPORT, HOSPITAL_A, OrganisationType.HOSPITAL);
    }

    static ConsentRecord consent(String id, Provision... provisions) {
        return new ConsentRecord(id, PATIENT, ConsentStatus.ACTIVE, NOW.minusSeconds(86_400), List.of(provisions));
    }
}
