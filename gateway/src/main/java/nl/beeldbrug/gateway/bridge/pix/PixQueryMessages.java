package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.util.Terser;
import nl.beeldbrug.registry.bridge.AssigningAuthority;
import nl.beeldbrug.registry.bridge.LocalPatientId;
import nl.beeldbrug.registry.bridge.PatientIndexQuery;
import nl.beeldbrug.registry.patient.Bsn;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * ITI-9 PIX Query messages (HL7 v2.5): the QBP^Q23 asking for a local patient id's identifier in the BSN domain,
 * and the reading of the RSP^K23 answer (ITI-9 §3.9.4.2.2.6: AA+OK with PID-3; AA+NF: known, no such identifier;
 * AE with error 204 on QPD-3: unknown id; anything else: failure).
 */
public final class PixQueryMessages {

    private static final DateTimeFormatter HL7_TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);
    private static final DefaultEscaping ESCAPING = new DefaultEscaping();

    private PixQueryMessages() {
    }

    /** The sending and receiving application and facility of a query (MSH-3..6). */
    public record Parties(String sendingApplication, String sendingFacility, String receivingApplication, String receivingFacility) {
    }

    /** QBP^Q23 in ER7 (segments separated by CR); {@code controlId} is MSH-10 and the query tag QPD-2. */
    public static String query(LocalPatientId patient, Parties parties, String controlId, Instant at) {
        return "MSH|^~\\&|" + esc(parties.sendingApplication()) + "|" + esc(parties.sendingFacility()) + "|"
                + esc(parties.receivingApplication()) + "|" + esc(parties.receivingFacility()) + "|" + HL7_TS.format(at)
                + "||QBP^Q23^QBP_Q21|" + esc(controlId) + "|P|2.5\r"
                + "QPD|IHE PIX Query|" + esc(controlId) + "|" + esc(patient.id()) + "^^^&" + esc(patient.domain()) + "&ISO"
                + "|^^^&" + Bsn.OID + "&ISO\r"
                + "RCP|I\r";
    }

    /** What the RSP^K23 says about the queried id. */
    public static PatientIndexQuery.Answer answer(Message response) throws HL7Exception {
        Terser t = new Terser(response);
        String ack = value(t, "/MSA-1");
        String queryStatus = value(t, "/QAK-2");
        if ("AA".equals(ack) || "CA".equals(ack)) {
            if ("NF".equals(queryStatus)) {
                return new PatientIndexQuery.Known(List.of());
            }
            if (!queryStatus.isEmpty() && !"OK".equals(queryStatus)) {
                return new PatientIndexQuery.Failed("query status " + queryStatus);
            }
            return new PatientIndexQuery.Known(bsnIdentifiers(response));
        }
        String errorCode = firstNonEmpty(value(t, "/.ERR-3-1"), value(t, "/.ERR-1-4-1"));
        String errorSegment = firstNonEmpty(value(t, "/.ERR-2-1"), value(t, "/.ERR-1-1"));
        String errorField = firstNonEmpty(value(t, "/.ERR-2-3"), value(t, "/.ERR-1-3"));
        if ("AE".equals(ack) && "204".equals(errorCode) && "QPD".equals(errorSegment) && "3".equals(errorField)) {
            return new PatientIndexQuery.Unknown("AE, error 204 on QPD-3");
        }
        String where = errorSegment.isEmpty() ? "" : " on " + errorSegment + (errorField.isEmpty() ? "" : "-" + errorField);
        return new PatientIndexQuery.Failed((ack.isEmpty() ? "no MSA-1" : ack)
                + (errorCode.isEmpty() ? "" : ", error " + errorCode) + where);
    }

    private static List<String> bsnIdentifiers(Message response) throws HL7Exception {
        List<String> ids = new ArrayList<>();
        for (Segment pid : segments(response, "PID")) {
            for (Type cx : pid.getField(3)) {
                String id = Terser.getPrimitive(cx, 1, 1).getValue();
                String namespace = Terser.getPrimitive(cx, 4, 1).getValue();
                String universal = Terser.getPrimitive(cx, 4, 2).getValue();
                String authority = universal != null && !universal.isBlank() ? universal : namespace;
                if (id != null && !id.isBlank() && AssigningAuthority.same(authority, Bsn.OID)) {
                    ids.add(id.trim());
                }
            }
        }
        return ids;
    }

    /** All segments with that name, wherever they are in the message's groups. */
    static List<Segment> segments(ca.uhn.hl7v2.model.Group group, String name) throws HL7Exception {
        List<Segment> found = new ArrayList<>();
        for (String child : group.getNames()) {
            for (Structure s : group.getAll(child)) {
                if (s instanceof Segment seg && seg.getName().equals(name) && !seg.isEmpty()) {
                    found.add(seg);
                } else if (s instanceof ca.uhn.hl7v2.model.Group g) {
                    found.addAll(segments(g, name));
                }
            }
        }
        return found;
    }

    private static String value(Terser t, String path) {
        try {
            String v = t.get(path);
            return v == null ? "" : v.trim();
        } catch (HL7Exception | RuntimeException e) {
            return "";
        }
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    private static String esc(String s) {
        return s == null ? "" : ESCAPING.escape(s, EncodingCharacters.defaultInstance());
    }
}
