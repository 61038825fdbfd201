package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import nl.beeldbrug.registry.bridge.FeedRejectedException;
import nl.beeldbrug.registry.bridge.PatientIdentifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ITI-8 Patient Identity Feed messages (HL7 v2.3.1 ADT): the identifiers of PID-3 and MRG-1, and the ACK
 * answering a message (AA with the outcome in MSA-3; AE with an ERR segment naming the field and the HL7 table
 * 0357 error code).
 */
public final class FeedMessages {

    private FeedMessages() {
    }

    /** MSH-9-2, the trigger event (A01, A04, A05, A08, A40). */
    public static String event(Message adt) throws HL7Exception {
        String event = new Terser(adt).get("/MSH-9-2");
        return event == null ? "" : event.trim();
    }

    /** MSH-10. */
    public static String controlId(Message adt) throws HL7Exception {
        String id = new Terser(adt).get("/MSH-10");
        return id == null ? "" : id.trim();
    }

    /** The repetitions of PID-3 (the patient's identifiers; for A40 the surviving patient's). */
    public static List<PatientIdentifier> patientIdentifiers(Message adt) throws HL7Exception {
        return identifiers(adt, "PID", 3);
    }

    /** The repetitions of MRG-1 (A40: the prior patient's identifiers). */
    public static List<PatientIdentifier> priorIdentifiers(Message adt) throws HL7Exception {
        return identifiers(adt, "MRG", 1);
    }

    private static List<PatientIdentifier> identifiers(Message adt, String segment, int field) throws HL7Exception {
        List<PatientIdentifier> ids = new ArrayList<>();
        List<Segment> segments = PixQueryMessages.segments(adt, segment);
        if (segments.isEmpty()) {
            return ids;
        }
        for (Type cx : segments.get(0).getField(field)) {
            String id = Terser.getPrimitive(cx, 1, 1).getValue();
            String namespace = Terser.getPrimitive(cx, 4, 1).getValue();
            String universal = Terser.getPrimitive(cx, 4, 2).getValue();
            ids.add(new PatientIdentifier(id, universal != null && !universal.isBlank() ? universal : namespace));
        }
        return ids;
    }

    /** AA, with {@code text} in MSA-3. */
    public static Message accepted(Message adt, String text) throws HL7Exception, IOException {
        Message ack = adt.generateACK();
        new Terser(ack).set("/MSA-3", text);
        return ack;
    }

    /** AE with ERR: the field and HL7 error code of the rejection; MSA-3 and ERR say why (no identifier). */
    public static Message rejected(Message adt, FeedRejectedException rejection) throws HL7Exception, IOException {
        return error(adt, AcknowledgmentCode.AE, rejection.getMessage(), errorCode(rejection.error()),
                rejection.error().segment(), rejection.error().field());
    }

    /** AE or AR with ERR for a message the feed cannot take, e.g. PID-3 missing. */
    public static Message error(Message adt, AcknowledgmentCode code, String text, ErrorCode errorCode,
                                String segment, int field) throws HL7Exception, IOException {
        HL7Exception e = new HL7Exception(text, errorCode);
        e.setLocation(new Location().withSegmentName(segment).withSegmentRepetition(1).withField(field));
        Message ack = adt.generateACK(code, e);
        new Terser(ack).set("/MSA-3", text);
        return ack;
    }

    static ErrorCode errorCode(FeedRejectedException.Error error) {
        return switch (error) {
            case UNKNOWN_DOMAIN -> ErrorCode.UNKNOWN_KEY_IDENTIFIER;
            case INVALID_BSN -> ErrorCode.DATA_TYPE_ERROR;
            case AMBIGUOUS_BSN -> ErrorCode.DUPLICATE_KEY_IDENTIFIER;
            case NO_PRIOR_ID, NO_SURVIVING_ID -> ErrorCode.REQUIRED_FIELD_MISSING;
        };
    }
}
