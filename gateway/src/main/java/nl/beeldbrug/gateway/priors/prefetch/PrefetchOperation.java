package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.cds.CdsOrders;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.bridge.PatientIdentifier;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.ExamDescription;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /fhir/ServiceRequest/$prefetch} with a Parameters body whose {@code order} is the ServiceRequest: the same
 * path as an HL7 v2 order. The requester (URA of the client certificate or token) must be a hospital connected as a
 * bridge source — its PACS receives the priors — and ask for treatment (TREAT); else 403. The order names the patient
 * by {@code subject.identifier} (BSN) or {@code subject.reference} {@code Patient/<bsn>}, the placer order number by an
 * identifier of type {@code PLAC} (else its first identifier), the exam by {@code code}/{@code bodySite}, the time by
 * {@code occurrence[x]} (else {@code authoredOn}, else now). The answer is a Parameters: {@code outcome} (text),
 * {@code repeated}, {@code present} and one {@code queued} part per study (its UID and its {@code /api/imports/<id>}).
 * Its one audit record is the FHIR operation's (FhirAuditInterceptor), stamped with the requester and the consent
 * decisions.
 */
public final class PrefetchOperation {

    public static final String NAME = "$prefetch";
    private static final String PLACER = "PLAC";
    private static final Logger LOG = LoggerFactory.getLogger(PrefetchOperation.class);

    private final PrefetchService service;
    private final Requesters requesters;
    private final BridgeProperties bridge;
    private final PrefetchMetrics metrics;
    private final Clock clock;

    public PrefetchOperation(PrefetchService service, Requesters requesters, BridgeProperties bridge, PrefetchMetrics metrics,
                             Clock clock) {
        this.service = service;
        this.requesters = requesters;
        this.bridge = bridge;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Operation(name = NAME, type = ServiceRequest.class, idempotent = false)
    public Parameters prefetch(@OperationParam(name = "order", min = 1, max = 1) ServiceRequest order, RequestDetails request) {
        metrics.received();
        HttpServletRequest servlet = ((ServletRequestDetails) request).getServletRequest();
        RequestContext requester = requesters.of(servlet);
        BridgeProperties.Source hospital;
        PrefetchOrder prefetch;
        try {
            hospital = bridge.sourceOfUra(requester.organisation().value()).orElseThrow(() -> new ForbiddenOperationException(
                    NAME + ": the requesting organisation has no PACS connected for prefetch"));
            if (requester.purpose() != PurposeOfUse.TREAT) {
                throw new ForbiddenOperationException(NAME + ": prefetch is for treatment (purpose of use TREAT)");
            }
            prefetch = order(order, hospital);
        } catch (BaseServerResponseException e) {
            metrics.rejected();
            throw e;
        }
        FhirAuditInterceptor.namePatients(request, Set.of(prefetch.bsn().orElseThrow()));
        PrefetchService.Outcome outcome;
        try {
            outcome = service.prefetch(prefetch, hospital, requester, ReleaseLog.of(servlet));
        } catch (RuntimeException e) {
            metrics.rejected();
            LOG.warn("prefetch order (FHIR) for {}: not processed: {}", hospital.id(), e.getClass().getSimpleName());
            throw new InternalErrorException(NAME + ": the order could not be processed; send it again");
        }
        LOG.info("prefetch order (FHIR) for {}: {}", hospital.id(), outcome.summary());
        Parameters answer = new Parameters();
        answer.addParameter().setName("outcome").setValue(new StringType(outcome.summary()));
        answer.addParameter().setName("repeated").setValue(new BooleanType(outcome.repeated()));
        answer.addParameter().setName("present").setValue(new IntegerType(outcome.present()));
        for (PrefetchService.Queued queued : outcome.queued()) {
            Parameters.ParametersParameterComponent part = answer.addParameter().setName("queued");
            part.addPart().setName("study").setValue(new Identifier().setSystem(FhirNaming.DICOM_UID)
                    .setValue("urn:oid:" + queued.studyInstanceUid()));
            part.addPart().setName("import").setValue(new StringType("/api/imports/" + queued.importJobId()));
        }
        return answer;
    }

    private PrefetchOrder order(ServiceRequest order, BridgeProperties.Source hospital) {
        if (order == null) {
            throw new InvalidRequestException(NAME + ": the parameter order (a ServiceRequest) is required");
        }
        String bsn = bsn(order);
        String placer = order.getIdentifier().stream()
                .filter(i -> i.getType().getCoding().stream().anyMatch(c -> PLACER.equals(c.getCode())))
                .map(Identifier::getValue).filter(v -> v != null && !v.isBlank()).findFirst()
                .orElseGet(() -> order.getIdentifier().stream().map(Identifier::getValue).filter(v -> v != null && !v.isBlank())
                        .findFirst().orElseThrow(() -> new InvalidRequestException(NAME + ": order.identifier (the placer order number) is required")));
        if (placer.length() > 128) {
            throw new InvalidRequestException(NAME + ": order.identifier is longer than 128 characters");
        }
        ExamDescription exam = CdsOrders.plannedExam(order);
        if (exam.codes().isEmpty() && exam.text().isBlank()) {
            throw new UnprocessableEntityException(NAME + ": order.code names no planned exam");
        }
        return new PrefetchOrder(null, placer, List.of(new PatientIdentifier(bsn, Bsn.OID)), hospital.id(), exam,
                CdsOrders.plannedDate(order, clock));
    }

    private static String bsn(ServiceRequest order) {
        Identifier subject = order.getSubject().getIdentifier();
        String value = FhirNaming.BSN.equals(subject.getSystem()) ? subject.getValue()
                : order.getSubject().getReferenceElement().getResourceType() != null
                && "Patient".equals(order.getSubject().getReferenceElement().getResourceType())
                ? order.getSubject().getReferenceElement().getIdPart() : null;
        if (value == null || !Bsn.isValid(value)) {
            throw new InvalidRequestException(NAME + ": order.subject must name the patient by a valid BSN");
        }
        return value;
    }
}
