package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.registry.patient.Bsn;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventActionCode;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.event.PatientRecordBuilder;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every FHIR read and search is on record (NEN 7513, ATNA), like every XDS transaction: one audit
 * message per request through IPF's audit context (so it lands in the durable audit trail and, when
 * configured, at the audit repository), naming each patient whose data the answer carried, and
 * refused requests with a failure outcome. Event types follow BALP: the FHIR RESTful interaction.
 */
@Interceptor
public final class FhirAuditInterceptor {

    private static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

    private final AuditContext auditContext;

    public FhirAuditInterceptor(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, IBaseResource response) {
        audit(request, EventOutcomeIndicator.Success, null, patientsIn(response));
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails request, BaseServerResponseException exception) {
        EventOutcomeIndicator outcome = exception.getStatusCode() >= 500
                ? EventOutcomeIndicator.SeriousFailure : EventOutcomeIndicator.MinorFailure;
        audit(request, outcome, "HTTP " + exception.getStatusCode(), Set.of());
        return true; // let HAPI write its OperationOutcome as usual
    }

    private void audit(RequestDetails request, EventOutcomeIndicator outcome, String description, Set<String> patients) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null || operation == RestOperationTypeEnum.METADATA) {
            return; // the CapabilityStatement carries no patient data
        }
        String client = request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRemoteAddr() : null;
        String server = request.getFhirServerBase();
        String interaction = interaction(operation);
        EventType type = EventType.of(interaction, RESTFUL_INTERACTION, interaction);
        AuditMessage message;
        if (operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD) {
            PatientRecordBuilder builder = new PatientRecordBuilder(outcome, description, EventActionCode.Read, type)
                    .setAuditSource(auditContext)
                    .addSourceActiveParticipant(client, null, null, client, true)
                    .addDestinationActiveParticipant(server, null, null, server, false);
            patients.forEach(bsn -> builder.addPatientParticipantObject(cx(bsn), null, List.of(), null));
            message = builder.getMessage();
        } else {
            String query = request.getCompleteUrl() == null ? "" : request.getCompleteUrl();
            QueryBuilder builder = new QueryBuilder(outcome, description, type)
                    .setAuditSource(auditContext)
                    .setQueryingParticipant(client, null, null, client, true)
                    .setRespondingParticipant(server, null, null, server, false)
                    .addParticipantObjectIdentification(ParticipantObjectIdTypeCode.URI, null,
                            query.getBytes(StandardCharsets.UTF_8), List.of(), request.getRequestPath(),
                            ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.Query, null, null);
            patients.forEach(bsn -> builder.addPatientParticipantObject(cx(bsn), null, List.of(), null));
            message = builder.getMessage();
        }
        auditContext.audit(message);
    }

    private static String interaction(RestOperationTypeEnum operation) {
        return switch (operation) {
            case READ -> "read";
            case VREAD -> "vread";
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            default -> operation.getCode();
        };
    }

    /** The patient as a CX in the BSN's assigning authority, as the XDS audit messages name it. */
    static String cx(String bsn) {
        return bsn + "^^^&" + Bsn.OID + "&ISO";
    }

    /** The BSNs of the patients an answer is about (ImagingStudy subjects, Patient ids). */
    static Set<String> patientsIn(IBaseResource response) {
        Set<String> patients = new LinkedHashSet<>();
        if (response instanceof Bundle bundle) {
            bundle.getEntry().forEach(e -> patients.addAll(patientsIn(e.getResource())));
        } else if (response instanceof ImagingStudy study && study.getSubject().getReferenceElement().getIdPart() != null) {
            patients.add(study.getSubject().getReferenceElement().getIdPart());
        } else if (response instanceof Patient patient && patient.getIdElement().getIdPart() != null) {
            patients.add(patient.getIdElement().getIdPart());
        }
        return patients;
    }
}
