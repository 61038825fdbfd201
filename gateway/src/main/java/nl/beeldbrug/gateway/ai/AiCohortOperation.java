package nl.beeldbrug.gateway.ai;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.CohortCriteria;
import nl.beeldbrug.registry.ai.CohortExclusion;
import nl.beeldbrug.registry.ai.CohortSelector;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code POST ImagingStudy/$ai-cohort} (issue 7): an AI platform asks for a cohort. Parameters (all optional):
 * {@code modality} (code, DICOM, repeating: any of them), {@code bodySite} (one Coding: a Beeldbrug body region code of
 * {@link #REGION_SYSTEM} or a SNOMED CT body structure; a region covers the regions within it), {@code start} and
 * {@code end} (dates, inclusive), {@code organization} (Identifier with the URA system, repeating: the data holders),
 * {@code max} (the most INCLUDED studies; default {@value #DEFAULT_MAX}, at most the configured cap).
 * <p>
 * The answer is a Bundle of type {@code collection} whose identifier is the cohort's id: one de-identified ImagingStudy
 * per INCLUDED study (id and identifier the platform's pseudonymous Study Instance UID, subject the patient's pseudonym,
 * started shifted by the patient's date shift, modality, body site, series and instance counts — no original UID, BSN,
 * name, accession number, description or organisation), then one OperationOutcome with an issue per EXCLUDED study
 * (details: the reason code of {@link #REASON_SYSTEM} and, as text, the pseudonymous study UID; diagnostics: the
 * detail). Patients without an AI consent for the platform are in neither.
 */
public final class AiCohortOperation {

    public static final String NAME = "$ai-cohort";
    public static final String COHORT_SYSTEM = "https://beeldbrug.nl/fhir/NamingSystem/ai-cohort";
    public static final String REASON_SYSTEM = "https://beeldbrug.nl/fhir/CodeSystem/ai-exclusion-reason";
    public static final String REGION_SYSTEM = "https://beeldbrug.nl/fhir/CodeSystem/body-region";
    /** The patient pseudonyms of a platform: {@code <prefix><platform URA>}. */
    public static final String PSEUDONYM_SYSTEM_PREFIX = "https://beeldbrug.nl/fhir/NamingSystem/ai-patient-pseudonym/";
    public static final int DEFAULT_MAX = 100;

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    private final AiAccess access;
    private final AiCohortService service;
    private final Requesters requesters;
    private final ExamNormaliser normaliser;
    private final int maxCap;

    public AiCohortOperation(AiAccess access, AiCohortService service, Requesters requesters, ExamNormaliser normaliser,
                             int maxCap) {
        this.access = access;
        this.service = service;
        this.requesters = requesters;
        this.normaliser = normaliser;
        this.maxCap = maxCap;
    }

    @Operation(name = NAME, type = ImagingStudy.class, idempotent = false)
    public Bundle aiCohort(@OperationParam(name = "modality", max = OperationParam.MAX_UNLIMITED) List<CodeType> modalities,
                           @OperationParam(name = "bodySite", max = 1) Coding bodySite,
                           @OperationParam(name = "start", max = 1) DateType start,
                           @OperationParam(name = "end", max = 1) DateType end,
                           @OperationParam(name = "organization", max = OperationParam.MAX_UNLIMITED) List<Identifier> organizations,
                           @OperationParam(name = "max", max = 1) IntegerType max,
                           RequestDetails request) {
        HttpServletRequest servlet = ((ServletRequestDetails) request).getServletRequest();
        RequestContext context = requesters.of(servlet);
        AiPlatform platform;
        try {
            platform = access.require(context);
        } catch (AiAccessDenied e) {
            throw new ForbiddenOperationException(NAME + ": " + e.getMessage());
        }
        CohortCriteria criteria = criteria(modalities, bodySite, start, end, organizations, max);
        CohortSelector.Selection selection = service.create(platform, context, criteria, ReleaseLog.of(servlet));
        FhirAuditInterceptor.namePatients(request, selection.included().stream().map(i -> i.member().bsn())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        return bundle(platform, selection, request.getFhirServerBase());
    }

    CohortCriteria criteria(List<CodeType> modalities, Coding bodySite, DateType start, DateType end,
                            List<Identifier> organizations, IntegerType max) {
        Set<String> codes = new LinkedHashSet<>();
        for (CodeType m : modalities == null ? List.<CodeType>of() : modalities) {
            if (m.getValue() == null || !m.getValue().matches("[A-Za-z0-9]{1,16}")) {
                throw new InvalidRequestException("modality: a DICOM modality code");
            }
            codes.add(m.getValue().toUpperCase(Locale.ROOT));
        }
        Set<Ura> sources = new LinkedHashSet<>();
        for (Identifier o : organizations == null ? List.<Identifier>of() : organizations) {
            if (!FhirNaming.URA.equals(o.getSystem()) || o.getValue() == null || !o.getValue().matches("[0-9]{8}")) {
                throw new InvalidRequestException("organization: an Identifier with system " + FhirNaming.URA + " and a URA");
            }
            sources.add(Ura.of(o.getValue()));
        }
        int count = max == null || max.getValue() == null ? Math.min(DEFAULT_MAX, maxCap) : max.getValue();
        if (count < 1 || count > maxCap) {
            throw new InvalidRequestException("max: from 1 to " + maxCap);
        }
        LocalDate from = start == null || start.getValue() == null ? null : startDay(start);
        LocalDate to = end == null || end.getValue() == null ? null : endDay(end);
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidRequestException("end: before start");
        }
        return new CohortCriteria(codes, region(bodySite), from, to, sources, count);
    }

    /** The first day of a start date given as a year, a month or a day. */
    private static LocalDate startDay(DateType start) {
        String value = start.getValueAsString();
        return switch (value.length()) {
            case 4 -> LocalDate.of(Integer.parseInt(value), 1, 1);
            case 7 -> LocalDate.parse(value + "-01");
            default -> LocalDate.parse(value.substring(0, 10));
        };
    }

    /** The last day of an end date given as a year, a month or a day. */
    private static LocalDate endDay(DateType end) {
        String value = end.getValueAsString();
        return switch (value.length()) {
            case 4 -> LocalDate.of(Integer.parseInt(value), 12, 31);
            case 7 -> LocalDate.parse(value + "-01").plusMonths(1).minusDays(1);
            default -> LocalDate.parse(value.substring(0, 10));
        };
    }

    private String region(Coding bodySite) {
        if (bodySite == null || bodySite.getCode() == null) {
            return null;
        }
        String code = bodySite.getCode().trim();
        String system = bodySite.getSystem();
        if ((system == null || REGION_SYSTEM.equals(system)) && normaliser.regions().known(code)) {
            return code;
        }
        if (system == null || FhirNaming.SNOMED.equals(system)) {
            Set<String> regions = normaliser.normalise(new ExamDescription(
                    List.of(new ExamDescription.Code(ExamDescription.SNOMED, code)), "")).regions();
            if (regions.size() == 1) {
                return regions.iterator().next();
            }
        }
        throw new InvalidRequestException("bodySite: a body region code (" + REGION_SYSTEM + ") or a SNOMED CT body structure"
                + " Beeldbrug maps to one region");
    }

    Bundle bundle(AiPlatform platform, CohortSelector.Selection selection, String base) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setIdentifier(new Identifier().setSystem(COHORT_SYSTEM).setValue(selection.cohort().id().toString()));
        bundle.setTimestamp(java.util.Date.from(selection.cohort().created()));
        for (CohortSelector.Included included : selection.included()) {
            ImagingStudy study = study(platform, included);
            bundle.addEntry().setFullUrl(base + "/ImagingStudy/" + study.getIdElement().getIdPart()).setResource(study);
        }
        OperationOutcome outcome = new OperationOutcome();
        for (CohortExclusion exclusion : selection.exclusions()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                    .setDetails(new CodeableConcept().addCoding(new Coding(REASON_SYSTEM, exclusion.reason().code(), null))
                            .setText(exclusion.pseudoStudyUid()))
                    .setDiagnostics(exclusion.reason().detail());
        }
        if (selection.stoppedEarly()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.TOOCOSTLY)
                    .setDiagnostics("stopped after validating " + selection.examined() + " studies with "
                            + selection.included().size() + " included: narrow the criteria or ask again for more");
        }
        if (selection.exclusions().isEmpty() && !selection.stoppedEarly()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("no study was excluded");
        }
        String outcomeId = java.util.UUID.randomUUID().toString();
        outcome.setId(outcomeId);
        bundle.addEntry().setFullUrl("urn:uuid:" + outcomeId).setResource(outcome);
        return bundle;
    }

    /** The de-identified ImagingStudy of an INCLUDED member. */
    static ImagingStudy study(AiPlatform platform, CohortSelector.Included included) {
        var member = included.member();
        var registered = included.study();
        ImagingStudy study = new ImagingStudy();
        study.setId(member.pseudoStudyUid());
        study.addIdentifier().setSystem(FhirNaming.DICOM_UID).setValue("urn:oid:" + member.pseudoStudyUid());
        study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.setSubject(new Reference().setIdentifier(new Identifier()
                        .setSystem(PSEUDONYM_SYSTEM_PREFIX + platform.ura().value()).setValue(member.patientPseudonym()))
                .setDisplay(member.patientPseudonym()));
        if (registered.started() != null) {
            Instant shifted = registered.started().atZone(AMSTERDAM)
                    .plusDays(platform.pseudonyms().dateShiftDays(member.bsn())).toInstant().truncatedTo(ChronoUnit.SECONDS);
            study.setStartedElement(new DateTimeType(java.util.Date.from(shifted), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                    java.util.TimeZone.getTimeZone(AMSTERDAM)));
        }
        for (String modality : registered.modalities()) {
            study.addModality(new Coding(FhirNaming.DCM, modality, null));
        }
        for (String site : registered.bodySites()) {
            study.addExtension(FhirNaming.EXT_BODY_SITE, new Coding(FhirNaming.SNOMED, site, null));
        }
        if (registered.manifest() != null) {
            study.setNumberOfSeries(registered.manifest().seriesCount());
        }
        study.setNumberOfInstances(included.instances());
        return study;
    }
}
