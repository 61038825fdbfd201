package nl.beeldbrug.gateway.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.registry.ai.Cohort;
import nl.beeldbrug.registry.ai.CohortCriteria;
import nl.beeldbrug.registry.ai.CohortExclusion;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.ai.CohortSelector;
import nl.beeldbrug.registry.ai.Exclusion;
import nl.beeldbrug.registry.ai.PlatformKey;
import nl.beeldbrug.registry.ai.PlatformPseudonyms;
import nl.beeldbrug.registry.ai.StudyCandidate;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class AiCohortOperationTest {

    private static final Ura PLATFORM = Ura.of("70000001");
    private static final String BSN = "999911120";
    private final AiCohortOperation operation = new AiCohortOperation(null, null, null, ExamNormaliser.standard(), 500);
    private final AiPlatform platform = new AiPlatform(PLATFORM, "Model Lab", new PlatformPseudonyms(PlatformKey.of(new byte[32])));

    @Test
    void criteriaFromTheParameters() {
        CohortCriteria criteria = operation.criteria(List.of(new CodeType("ct"), new CodeType("MR")),
                new Coding(FhirNaming.SNOMED, "72696002", null), new DateType("2020"), new DateType("2021-02"),
                List.of(new Identifier().setSystem(FhirNaming.URA).setValue("12000002")), new IntegerType(7));
        assertThat(criteria).isEqualTo(new CohortCriteria(Set.of("CT", "MR"), "knee", LocalDate.of(2020, 1, 1),
                LocalDate.of(2021, 2, 28), Set.of(Ura.of("12000002")), 7));
        assertThat(operation.criteria(null, new Coding(AiCohortOperation.REGION_SYSTEM, "lower-limb", null), null, null, null, null))
                .isEqualTo(new CohortCriteria(Set.of(), "lower-limb", null, null, Set.of(), 100));
        assertThatThrownBy(() -> operation.criteria(null, null, null, null, null, new IntegerType(501)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> operation.criteria(null, new Coding(null, "nowhere", null), null, null, null, null))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> operation.criteria(null, null, null, null,
                List.of(new Identifier().setSystem("urn:other").setValue("12000002")), null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theBundleIsDeIdentifiedAndValid() {
        UUID id = UUID.randomUUID();
        Instant started = Instant.parse("2024-03-01T09:30:00Z");
        String uid = "1.2.840.99.1.2.3";
        PlatformPseudonyms p = platform.pseudonyms();
        CohortSelector.Selection selection = new CohortSelector.Selection(
                new Cohort(id, PLATFORM, new CohortCriteria(Set.of(), null, null, null, Set.of(), 5), Instant.now()),
                List.of(new CohortSelector.Included(new CohortMember(id, uid, p.uid(uid), BSN, p.patientPseudonym(BSN),
                        Ura.of("12000002")), new StudyCandidate(uid, BSN, Ura.of("12000002"), List.of("CT"), List.of("51185008"),
                        started, new ManifestContents(List.of(new ManifestContents.Series("1.2.840.99.1.2.3.1", 3))), false), 3)),
                List.of(new CohortExclusion(id, "1.2.840.99.9", p.uid("1.2.840.99.9"), null,
                        new Exclusion("INCOMPLETE", "1 missing"))));
        Bundle bundle = operation.bundle(platform, selection, "http://beeldbrug.test/fhir");
        R4Validation.assertValid(bundle);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
        assertThat(json).doesNotContain(uid).doesNotContain("1.2.840.99.9").doesNotContain(BSN).doesNotContain("12000002");
        assertThat(bundle.getIdentifier().getValue()).isEqualTo(id.toString());
        ImagingStudy study = (ImagingStudy) bundle.getEntryFirstRep().getResource();
        assertThat(study.getIdElement().getIdPart()).isEqualTo(p.uid(uid));
        assertThat(study.getNumberOfSeries()).isEqualTo(1);
        assertThat(study.getNumberOfInstances()).isEqualTo(3);
        assertThat(study.getStartedElement().getValueAsString())
                .startsWith(LocalDate.of(2024, 3, 1).plusDays(p.dateShiftDays(BSN)).toString());
        OperationOutcome outcome = (OperationOutcome) bundle.getEntry().get(1).getResource();
        assertThat(outcome.getIssueFirstRep().getDetails().getText()).isEqualTo(p.uid("1.2.840.99.9"));
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("INCOMPLETE");
    }

    @Test
    void aCohortStoppedAtTheExamineLimitSaysSo() {
        UUID id = UUID.randomUUID();
        Cohort cohort = new Cohort(id, PLATFORM, new CohortCriteria(Set.of(), null, null, null, Set.of(), 5), Instant.now());
        Bundle stopped = operation.bundle(platform, new CohortSelector.Selection(cohort, List.of(), List.of(), 20, true),
                "http://beeldbrug.test/fhir");
        R4Validation.assertValid(stopped);
        OperationOutcome outcome = (OperationOutcome) stopped.getEntryFirstRep().getResource();
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
            assertThat(issue.getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
            assertThat(issue.getDiagnostics()).contains("20 studies");
        });
        Bundle complete = operation.bundle(platform, new CohortSelector.Selection(cohort, List.of(), List.of()),
                "http://beeldbrug.test/fhir");
        assertThat(((OperationOutcome) complete.getEntryFirstRep().getResource()).getIssueFirstRep().getCode())
                .isEqualTo(OperationOutcome.IssueType.INFORMATIONAL);
    }
}
