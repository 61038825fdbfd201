package nl.beeldbrug.adapters.mitz;

import nl.beeldbrug.registry.consent.NationalConsentAnswer;
import nl.beeldbrug.registry.consent.NationalConsentQuestion;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;

import static nl.beeldbrug.adapters.mitz.XacmlAttributes.*;

/**
 * Writes the closed question and reads the answer. The wire, following the VZVZ implementation guide as
 * far as public sources describe it: a SOAP 1.2 envelope whose body is one SAML 2.0 profile
 * {@code XACMLAuthzDecisionQuery} carrying an XACML 3.0 {@code Request}; the answer is read from the
 * XACML 3.0 {@code Result/Decision} elements wherever they sit in the response (a SAML assertion's
 * {@code XACMLAuthzDecisionStatement}, or a bare {@code Response}). Several results combine to the most
 * restrictive (any Deny → Deny, else any Indeterminate → Indeterminate, else any NotApplicable →
 * NotApplicable, else Permit). XML with a DOCTYPE is refused (no entity expansion).
 */
public final class ClosedQuestionCodec {

    /** The answer could not be read; the client turns it into Indeterminate. */
    public static final class MalformedAnswerException extends Exception {
        public MalformedAnswerException(String message) {
            super(message);
        }

        public MalformedAnswerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The SOAP request for one question. */
    public String request(NationalConsentQuestion q, String messageId, Instant issueInstant) {
        try {
            Document doc = newBuilder().newDocument();
            Element envelope = doc.createElementNS(SOAP12, "env:Envelope");
            doc.appendChild(envelope);
            Element body = child(envelope, SOAP12, "env:Body");
            Element query = child(body, XACML_SAMLP, "xacml-samlp:XACMLAuthzDecisionQuery");
            query.setAttribute("ID", "_" + messageId);
            query.setAttribute("Version", "2.0");
            query.setAttribute("IssueInstant", issueInstant.toString());
            query.setAttribute("ReturnContext", "false");
            Element request = child(query, XACML, "xacml:Request");
            request.setAttribute("CombinedDecision", "false");
            request.setAttribute("ReturnPolicyIdList", "false");

            Element subject = attributes(request, ACCESS_SUBJECT);
            attribute(subject, SUBJECT_ORGANIZATION_ID, uraUrn(q.requester()));
            attribute(subject, SUBJECT_ORGANIZATION_TYPE, q.requesterType().code());
            if (q.uziRole() != null) {
                attribute(subject, SUBJECT_ROLE, q.uziRole());
            }
            attribute(subject, SUBJECT_PURPOSE_OF_USE, q.purpose().code());

            Element resource = attributes(request, RESOURCE);
            attribute(resource, RESOURCE_PATIENT_ID, patientId(q.patient()));
            attribute(resource, RESOURCE_DATA_HOLDER_ID, uraUrn(q.dataHolder()));
            attribute(resource, RESOURCE_DATA_HOLDER_TYPE, q.dataHolderType().code());

            Element action = attributes(request, ACTION);
            attribute(action, ACTION_ID, "read");
            return serialize(doc);
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot write the closed question", e);
        }
    }

    /** Reads the decision from a response body. */
    public NationalConsentAnswer answer(byte[] body) throws MalformedAnswerException {
        Document doc;
        try {
            doc = newBuilder().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new MalformedAnswerException("not well-formed XML: " + e.getMessage(), e);
        }
        if (doc.getElementsByTagNameNS(SOAP12, "Fault").getLength() > 0) {
            throw new MalformedAnswerException("SOAP fault");
        }
        NodeList results = doc.getElementsByTagNameNS(XACML, "Result");
        if (results.getLength() == 0) {
            throw new MalformedAnswerException("no XACML Result");
        }
        NationalConsentAnswer combined = NationalConsentAnswer.PERMIT;
        for (int i = 0; i < results.getLength(); i++) {
            NodeList decisions = ((Element) results.item(i)).getElementsByTagNameNS(XACML, "Decision");
            if (decisions.getLength() != 1) {
                throw new MalformedAnswerException("a Result without exactly one Decision");
            }
            combined = moreRestrictive(combined, decision(decisions.item(0).getTextContent().trim()));
        }
        return combined;
    }

    private static NationalConsentAnswer decision(String text) throws MalformedAnswerException {
        return switch (text) {
            case "Permit" -> NationalConsentAnswer.PERMIT;
            case "Deny" -> NationalConsentAnswer.DENY;
            case "NotApplicable" -> NationalConsentAnswer.NOT_APPLICABLE;
            case "Indeterminate" -> NationalConsentAnswer.INDETERMINATE;
            default -> throw new MalformedAnswerException("unknown XACML decision");
        };
    }

    private static NationalConsentAnswer moreRestrictive(NationalConsentAnswer a, NationalConsentAnswer b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(NationalConsentAnswer answer) {
        return switch (answer) {
            case DENY -> 3;
            case INDETERMINATE -> 2;
            case NOT_APPLICABLE -> 1;
            case PERMIT -> 0;
        };
    }

    /** {@code <BSN>^^^&2.16.840.1.113883.2.4.6.3&ISO}. */
    public static String patientId(Bsn bsn) {
        return bsn.value() + "^^^&" + Bsn.OID + "&ISO";
    }

    /** {@code urn:oid:2.16.528.1.1007.3.3.<URA>}. */
    public static String uraUrn(Ura ura) {
        return "urn:oid:" + Ura.OID + "." + ura.value();
    }

    private static Element attributes(Element request, String category) {
        Element attributes = child(request, XACML, "xacml:Attributes");
        attributes.setAttribute("Category", category);
        return attributes;
    }

    private static void attribute(Element attributes, String id, String value) {
        Element attribute = child(attributes, XACML, "xacml:Attribute");
        attribute.setAttribute("AttributeId", id);
        attribute.setAttribute("IncludeInResult", "false");
        Element v = child(attribute, XACML, "xacml:AttributeValue");
        v.setAttribute("DataType", STRING);
        v.setTextContent(value);
    }

    private static Element child(Element parent, String ns, String qname) {
        Element e = parent.getOwnerDocument().createElementNS(ns, qname);
        parent.appendChild(e);
        return e;
    }

    static DocumentBuilder newBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder();
    }

    private static String serialize(Document doc) throws TransformerException {
        TransformerFactory factory = TransformerFactory.newInstance();
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        Transformer transformer = factory.newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }
}
