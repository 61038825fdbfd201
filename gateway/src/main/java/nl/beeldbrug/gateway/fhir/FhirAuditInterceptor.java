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
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventActionCode;
import org.openehealth.ipf.commons.audit.codes.EventIdCode;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.event.CustomAuditMessageBuilder;
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
 * refused requests with a failure outcome. Event types follow BALP: the FHIR RESTful interaction;
 * MHD requests carry their IHE transaction instead (ITI-65 as an Import, ITI-66/67 as queries or
 * reads, ITI-68 as an Export naming the document's uniqueId).
 */
@Interceptor
public final class FhirAuditInterceptor {

    private static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    private static final String IHE_TRANSACTIONS = "IHE Transactions";
    /** Request user data: the BSNs a provider found the request to be about (e.g. ITI-65, ITI-68). */
    private static final String PATIENTS = FhirAuditInterceptor.class.getName() + ".patients";

    private final AuditContext auditContext;

    public FhirAuditInterceptor(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, IBaseResource response) {
        Set<String> patients = patientsIn(response);
        patients.addAll(namedPatients(request));
        audit(request, EventOutcomeIndicator.Success, null, patients);
    }

    /** Lets a provider name the patients of a request whose answer does not show them (ITI-65, ITI-68). */
    public static void namePatients(RequestDetails request, Set<String> bsns) {
        Set<String> named = namedPatients(request);
        named.addAll(bsns);
        request.getUserData().put(PATIENTS, named);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> namedPatients(RequestDetails request) {
        Object named = request.getUserData().get(PATIENTS);
        return named instanceof Set<?> set ? new LinkedHashSet<>((Set<String>) set) : new LinkedHashSet<>();
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails request, BaseServerResponseException exception) {
        EventOutcomeIndicator outcome = exception.getStatusCode() >= 500
                ? EventOutcomeIndicator.SeriousFailure : EventOutcomeIndicator.MinorFailure;
        audit(request, outcome, "HTTP " + exception.getStatusCode(), namedPatients(request));
        return true; // let HAPI write its OperationOutcome as usual
    }

    private void audit(RequestDetails request, EventOutcomeIndicator outcome, String description, Set<String> patients) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.METADATA || (operation == null && "metadata".equals(request.getRequestPath()))) {
            return; // the CapabilityStatement carries no patient data
        }
        // a request refused before HAPI knew its interaction (405 of a write, unknown resource type) is on record too
        String client = request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRemoteAddr() : null;
        String server = request.getFhirServerBase() != null ? request.getFhirServerBase() // null when refused early
                : request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRequestURL().toString() : "beeldbrug";
        String interaction = operation == null ? "refused" : interaction(operation);
        String mhd = mhdTransaction(operation, request.getResourceName());
        EventType type = mhd != null ? EventType.of(mhd, IHE_TRANSACTIONS, mhd)
                : operation == null ? EventType.of(interaction, "urn:beeldbrug:audit", "refused before the interaction was known")
                : EventType.of(interaction, RESTFUL_INTERACTION, interaction);
        AuditMessage message;
        if (operation == RestOperationTypeEnum.TRANSACTION || "ITI-68".equals(mhd)) {
            // ITI-65: documents imported; ITI-68: a document exported (DICOM event ids, as for ITI-41/43)
            boolean provide = operation == RestOperationTypeEnum.TRANSACTION;
            CustomAuditMessageBuilder builder = new CustomAuditMessageBuilder(outcome, description,
                    provide ? EventActionCode.Create : EventActionCode.Read, provide ? EventIdCode.Import : EventIdCode.Export, type)
                    .setAuditSource(auditContext)
                    .addSourceActiveParticipant(provide ? client : server, null, null, provide ? client : server, provide)
                    .addDestinationActiveParticipant(provide ? server : client, null, null, provide ? server : client, !provide);
            patients.forEach(bsn -> builder.addPatientParticipantObject(cx(bsn), null, List.of(), null));
            if (!provide && request.getId() != null) {
                builder.addParticipantObjectIdentification(ParticipantObjectIdTypeCode.ReportNumber, null, null, List.of(),
                        request.getId().getIdPart(), ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.Report, null, null);
            }
            message = builder.getMessage();
        } else if (operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD) {
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
                            query.getBytes(StandardCharsets.UTF_8), List.of(), request.getRequestPath() == null ? "" : request.getRequestPath(),
                            ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.Query, null, null);
            patients.forEach(bsn -> builder.addPatientParticipantObject(cx(bsn), null, List.of(), null));
            message = builder.getMessage();
        }
        auditContext.audit(message);
    }

    /** The MHD transaction of a request, or null for the other FHIR interactions. */
    private static String mhdTransaction(RestOperationTypeEnum operation, String resourceName) {
        if (operation == RestOperationTypeEnum.TRANSACTION) {
            return "ITI-65";
        }
        return switch (resourceName == null ? "" : resourceName) {
            case "DocumentReference" -> "ITI-67";
            case "List" -> "ITI-66";
            case "Binary" -> "ITI-68";
            default -> null;
        };
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
        } else if (response instanceof DocumentReference doc && doc.getSubject().getReferenceElement().getIdPart() != null) {
            patients.add(doc.getSubject().getReferenceElement().getIdPart());
        } else if (response instanceof ListResource list && list.getSubject().getReferenceElement().getIdPart() != null) {
            patients.add(list.getSubject().getReferenceElement().getIdPart());
        } else if (response instanceof org.hl7.fhir.r4.model.Consent consent && consent.getPatient().getReferenceElement().getIdPart() != null) {
            patients.add(consent.getPatient().getReferenceElement().getIdPart());
        }
        return patients;
    }
}
