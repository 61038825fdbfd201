package nl.beeldbrug.gateway.fhir.audit;

import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;

/**
 * A stored ATNA message (DICOM PS3.15 audit message XML, as IPF wrote it) as a FHIR R4 AuditEvent: type = EventID,
 * subtype = EventTypeCode (the IHE transaction or the FHIR interaction), action, recorded = when the trail stored
 * it, outcome (+ description, e.g. "consent denied 1 of 3"), purposeOfEvent (HL7 ActReason), one agent per
 * ActiveParticipant (user id, requestor, network address, role; the requesting organisation stamped as
 * {@code urn:oid:2.16.528.1.1007.3.3.<URA>} becomes {@code Organization/<URA>} with its URA identifier), source
 * (site, id, type) and one entity per ParticipantObject (the patient by BSN, the query, the document).
 */
public final class AuditEventMapper {

    static final String DCM = FhirNaming.DCM;
    static final String IHE_EVENT_TYPES = "urn:ihe:event-type-code";
    static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String PATIENT_ROLE = "1";
    static final String ORGANISATION_PREFIX = "urn:oid:2.16.528.1.1007.3.3.";
    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private static final DocumentBuilderFactory FACTORY = factory();

    public AuditEvent toAuditEvent(StoredAuditEvent stored) {
        AuditEvent event = new AuditEvent();
        event.setId(String.valueOf(stored.id()));
        event.setRecorded(Date.from(stored.recordedAt()));
        Element message = parse(stored.record().message());
        Element identification = message == null ? null : first(message, "EventIdentification");
        if (identification == null) { // not an ATNA message we can read: what the trail's columns say
            event.setType(new Coding(DCM, stored.record().eventId(), null));
            event.setOutcome(AuditEvent.AuditEventOutcome._8);
            event.getSource().setObserver(new Reference().setDisplay("Beeldbrug"));
            for (String bsn : stored.record().patientIds()) {
                event.addEntity().setWhat(patient(bsn)).setType(new Coding(ENTITY_TYPE, "1", "Person"))
                        .setRole(new Coding(OBJECT_ROLE, PATIENT_ROLE, "Patient"));
            }
            return event;
        }
        Element id = first(identification, "EventID");
        event.setType(coding(id, stored.record().eventId()));
        for (Element type : children(identification, "EventTypeCode")) {
            event.addSubtype(coding(type, null));
        }
        String action = identification.getAttribute("EventActionCode");
        if (!action.isEmpty()) {
            event.setAction(AuditEvent.AuditEventAction.fromCode(action));
        }
        String outcome = identification.getAttribute("EventOutcomeIndicator");
        event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome.isEmpty() ? "0" : outcome));
        Element outcomeDescription = first(identification, "EventOutcomeDescription");
        if (outcomeDescription != null && !outcomeDescription.getTextContent().isBlank()) {
            event.setOutcomeDesc(outcomeDescription.getTextContent());
        }
        for (Element purpose : children(identification, "PurposeOfUse")) {
            Coding coding = coding(purpose, null);
            if (coding.getCode() != null && !coding.getCode().isEmpty()) {
                event.addPurposeOfEvent(new CodeableConcept(coding));
            }
        }
        for (Element participant : children(message, "ActiveParticipant")) {
            AuditEvent.AuditEventAgentComponent agent = event.addAgent();
            agent.setRequestor(Boolean.parseBoolean(participant.getAttribute("UserIsRequestor")));
            String user = participant.getAttribute("UserID");
            if (user.startsWith(ORGANISATION_PREFIX)) { // the requesting organisation as ReleaseAudit stamped it
                String ura = user.substring(ORGANISATION_PREFIX.length());
                agent.setWho(new Reference("Organization/" + ura).setIdentifier(new Identifier().setSystem(FhirNaming.URA).setValue(ura)));
            } else if (!user.isEmpty()) {
                agent.setWho(new Reference().setIdentifier(new Identifier().setValue(user)));
            }
            if (!participant.getAttribute("AlternativeUserID").isEmpty()) {
                agent.setAltId(participant.getAttribute("AlternativeUserID"));
            }
            if (!participant.getAttribute("UserName").isEmpty()) {
                agent.setName(participant.getAttribute("UserName"));
            }
            String address = participant.getAttribute("NetworkAccessPointID");
            if (!address.isEmpty()) {
                agent.getNetwork().setAddress(address);
                String addressType = participant.getAttribute("NetworkAccessPointTypeCode");
                if (!addressType.isEmpty()) {
                    agent.getNetwork().setType(AuditEvent.AuditEventAgentNetworkType.fromCode(addressType));
                }
            }
            for (Element role : children(participant, "RoleIDCode")) {
                agent.setType(new CodeableConcept(coding(role, null)));
            }
        }
        Element source = first(message, "AuditSourceIdentification");
        if (source != null) {
            if (!source.getAttribute("AuditEnterpriseSiteID").isEmpty()) {
                event.getSource().setSite(source.getAttribute("AuditEnterpriseSiteID"));
            }
            event.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue(
                    source.getAttribute("AuditSourceID").isEmpty() ? "Beeldbrug" : source.getAttribute("AuditSourceID"))));
            for (Element type : children(source, "AuditSourceTypeCode")) {
                String code = type.getAttribute("csd-code").isEmpty() ? type.getAttribute("code") : type.getAttribute("csd-code");
                if (code.matches("[1-9]")) {
                    event.getSource().addType(new Coding(SOURCE_TYPE, code, null));
                }
            }
        } else {
            event.getSource().setObserver(new Reference().setDisplay("Beeldbrug"));
        }
        for (Element object : children(message, "ParticipantObjectIdentification")) {
            AuditEvent.AuditEventEntityComponent entity = event.addEntity();
            String objectId = object.getAttribute("ParticipantObjectID");
            String type = object.getAttribute("ParticipantObjectTypeCode");
            String role = object.getAttribute("ParticipantObjectTypeCodeRole");
            if (PATIENT_ROLE.equals(role)) {
                entity.setWhat(patient(bsnPart(objectId)));
            } else if (!objectId.isEmpty()) {
                entity.setWhat(new Reference().setIdentifier(new Identifier().setValue(objectId)));
            }
            if (!type.isEmpty()) {
                entity.setType(new Coding(ENTITY_TYPE, type, null));
            }
            if (!role.isEmpty()) {
                entity.setRole(new Coding(OBJECT_ROLE, role, null));
            }
            Element query = first(object, "ParticipantObjectQuery");
            if (query != null && !query.getTextContent().isBlank()) {
                try {
                    entity.setQuery(Base64.getMimeDecoder().decode(query.getTextContent().trim()));
                } catch (IllegalArgumentException e) {
                    // not base64: left out rather than guessed
                }
            }
        }
        return event;
    }

    private static Reference patient(String bsn) {
        return new Reference("Patient/" + bsn).setIdentifier(new Identifier().setSystem(FhirNaming.BSN).setValue(bsn));
    }

    private static Coding coding(Element element, String fallbackCode) {
        if (element == null) {
            return new Coding(DCM, fallbackCode, null);
        }
        String code = element.getAttribute("csd-code").isEmpty() ? element.getAttribute("code") : element.getAttribute("csd-code");
        String system = element.getAttribute("codeSystemName");
        String display = element.getAttribute("originalText").isEmpty() ? null : element.getAttribute("originalText");
        return new Coding(system(system), code.isEmpty() ? fallbackCode : code, display);
    }

    /** ATNA code system names as FHIR system URIs. */
    static String system(String codeSystemName) {
        return switch (codeSystemName) {
            case "DCM", "" -> DCM;
            case "IHE Transactions", "IHE" -> IHE_EVENT_TYPES;
            case "2.16.840.1.113883.5.8" -> ACT_REASON; // purpose of use
            default -> codeSystemName.matches("[0-2](\\.(0|[1-9][0-9]*))+") ? "urn:oid:" + codeSystemName // e.g. UZI roles
                    : codeSystemName.matches("[a-z][a-z0-9+.-]*:\\S+") ? codeSystemName
                    : "urn:beeldbrug:atna-code-system:" + codeSystemName.replaceAll("[^A-Za-z0-9.-]", "-");
        };
    }

    static String bsnPart(String cx) {
        int caret = cx.indexOf('^');
        return caret < 0 ? cx : cx.substring(0, caret);
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element root = document.getDocumentElement();
            return "AuditMessage".equals(root.getLocalName() == null ? root.getTagName() : root.getLocalName()) ? root : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Element first(Element parent, String name) {
        for (Element e : children(parent, name)) {
            return e;
        }
        return null;
    }

    private static java.util.List<Element> children(Element parent, String name) {
        java.util.List<Element> result = new java.util.ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    private static DocumentBuilderFactory factory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
