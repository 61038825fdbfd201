package nl.beeldbrug.gateway.priors;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.gateway.fhir.ImagingStudyMapper;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.PriorRanker;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ImagingStudy/$prior-check} (issue 5): for a patient and a planned exam, the patient's studies the requester
 * may see, ranked (duplicate candidates first, then the same region, related regions, the rest), each with the
 * extension {@link #EXT_RELEVANCE} (rank, category, reason), and an OperationOutcome entry (search mode
 * {@code outcome}) with the verdict: {@code duplicate} or {@code no-duplicate}.
 * <p>
 * Parameters: {@code patient} (BSN, required), the planned exam as {@code code} (LOINC procedure code,
 * {@code system|code}, repeating), {@code modality} (DICOM code), {@code bodysite} (SNOMED CT), {@code text} (the
 * order text, Dutch or English), {@code laterality} ({@code left}, {@code right}, {@code both}) and {@code date}
 * (planned date; now when absent).
 */
public final class PriorCheckOperation {

    public static final String NAME = "$prior-check";
    public static final String EXT_RELEVANCE = "https://beeldbrug.nl/fhir/StructureDefinition/prior-relevance";
    public static final String VERDICT_SYSTEM = "https://beeldbrug.nl/fhir/CodeSystem/prior-check-verdict";

    private final PriorCheckService service;
    private final Requesters requesters;
    private final ImagingStudyMapper mapper = new ImagingStudyMapper();
    private final Clock clock;

    public PriorCheckOperation(PriorCheckService service, Requesters requesters, Clock clock) {
        this.service = service;
        this.requesters = requesters;
        this.clock = clock;
    }

    @Operation(name = NAME, type = ImagingStudy.class, idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
    public Bundle priorCheck(@OperationParam(name = "patient", min = 1, max = 1) StringParam patient,
                             @OperationParam(name = "code", max = OperationParam.MAX_UNLIMITED) List<TokenParam> codes,
                             @OperationParam(name = "modality", max = OperationParam.MAX_UNLIMITED) List<TokenParam> modalities,
                             @OperationParam(name = "bodysite", max = OperationParam.MAX_UNLIMITED) List<TokenParam> bodySites,
                             @OperationParam(name = "text", max = 1) StringParam text,
                             @OperationParam(name = "laterality", max = 1) StringParam laterality,
                             @OperationParam(name = "date", max = 1) DateParam date,
                             RequestDetails request) {
        String bsn = bsn(patient);
        List<ExamDescription.Code> planned = new ArrayList<>();
        add(planned, codes, ExamDescription.LOINC, "code");
        add(planned, modalities, ExamDescription.DCM, "modality");
        add(planned, bodySites, ExamDescription.SNOMED, "bodysite");
        String orderText = (text == null ? "" : text.getValue()) + side(laterality);
        if (planned.isEmpty() && orderText.isBlank()) {
            throw new InvalidRequestException("$prior-check: name the planned exam by code, modality, bodysite or text");
        }
        Instant when = date == null ? clock.instant() : date.getValue().toInstant();
        HttpServletRequest servlet = ((ServletRequestDetails) request).getServletRequest();
        FhirAuditInterceptor.namePatients(request, Set.of(bsn));
        PriorCheck check = service.check(requesters.of(servlet), ReleaseLog.of(servlet), bsn,
                new ExamDescription(planned, orderText), when);
        return bundle(check, request.getFhirServerBase());
    }

    Bundle bundle(PriorCheck check, String base) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(check.priors().size());
        int rank = 1;
        for (PriorRanker.Ranked<ImagingStudySummary> prior : check.priors()) {
            ImagingStudy study = mapper.toImagingStudy(withVisibleReports(prior.study(), check.visibleReports()));
            Extension relevance = study.addExtension().setUrl(EXT_RELEVANCE);
            relevance.addExtension("rank", new IntegerType(rank++));
            relevance.addExtension("category", new CodeType(prior.category().name().toLowerCase().replace('_', '-')));
            relevance.addExtension("reason", new StringType(prior.reason()));
            bundle.addEntry().setFullUrl(base + "/ImagingStudy/" + study.getIdElement().getIdPart()).setResource(study)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH)
                    .setScore(switch (prior.category()) {
                        case DUPLICATE -> 1.0;
                        case SAME_REGION -> 0.75;
                        case RELATED_REGION -> 0.5;
                        case OTHER -> 0.0;
                    });
        }
        OperationOutcome verdict = new OperationOutcome();
        String code = check.duplicate() ? "duplicate" : "no-duplicate";
        verdict.addIssue().setSeverity(check.duplicate() ? OperationOutcome.IssueSeverity.WARNING : OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDetails(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(
                        new org.hl7.fhir.r4.model.Coding(VERDICT_SYSTEM, code, check.duplicate() ? "Likely duplicate" : "No likely duplicate")))
                .setDiagnostics("planned " + check.planned().summary()
                        + (check.duplicate() ? "; " + check.duplicates().get(0).reason() : ""));
        String id = java.util.UUID.randomUUID().toString();
        verdict.setId(id);
        bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(verdict).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
        return bundle;
    }

    /** The study as the requester may see it: only reports the consent released. */
    private static ImagingStudySummary withVisibleReports(ImagingStudySummary s, Set<String> visibleReports) {
        return new ImagingStudySummary(s.studyInstanceUid(), s.patientBsn(), s.accessions(), s.modalities(), s.bodySites(),
                s.started(), s.description(), s.performer(), s.manifests(),
                s.reports().stream().filter(r -> visibleReports.contains(r.uniqueId())).toList(), s.contents());
    }

    private static String bsn(StringParam patient) {
        String value = patient.getValue();
        if (value.startsWith(FhirNaming.BSN + "|")) {
            value = value.substring(FhirNaming.BSN.length() + 1);
        } else if (value.startsWith("Patient/")) {
            value = value.substring("Patient/".length());
        }
        return Bsn.parse(value).orElseThrow(() -> new InvalidRequestException("patient: not a valid BSN")).value();
    }

    private static void add(List<ExamDescription.Code> into, List<TokenParam> tokens, String defaultSystem, String name) {
        if (tokens == null) {
            return;
        }
        for (TokenParam token : tokens) {
            if (token.getValue() == null || token.getValue().isBlank()) {
                throw new InvalidRequestException(name + ": no value");
            }
            into.add(new ExamDescription.Code(system(token.getSystem(), defaultSystem), token.getValue()));
        }
    }

    private static String system(String fhirSystem, String defaultSystem) {
        if (fhirSystem == null || fhirSystem.isBlank()) {
            return defaultSystem;
        }
        return ExamCodeSystems.of(fhirSystem);
    }

    private static String side(StringParam laterality) {
        if (laterality == null) {
            return "";
        }
        return switch (laterality.getValue()) {
            case "left" -> " links";
            case "right" -> " rechts";
            case "both" -> " beiderzijds";
            default -> throw new InvalidRequestException("laterality: left, right or both");
        };
    }
}
