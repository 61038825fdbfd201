package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import nl.beeldbrug.gateway.bridge.pix.FeedMessages;
import nl.beeldbrug.registry.bridge.PatientIdentifier;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.ExamDescription;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads HL7 v2 orders (ORM^O01, OMI^O23; v2.3.1 or v2.5) into a {@link PrefetchOrder}, and answers them.
 * <ul>
 *   <li>patient: the repetitions of PID-3 (id, assigning authority's universal id or namespace);</li>
 *   <li>placer order number: ORC-2-1, else OBR-2-1 (required);</li>
 *   <li>hospital: MSH-4-1 (sending facility namespace), mapped to a connected source by the listener;</li>
 *   <li>exam: OBR-4 (code^text^coding system: {@code LN} is LOINC, anything else a local code) with its text, plus
 *       OBR-15-4 (v2.5 SPS body site) or OBR-15-1 text when present;</li>
 *   <li>planned date: TQ1-7, else OBR-27-4, else ORC-15, else OBR-7, else now. Times without an offset are
 *       Dutch local time.</li>
 * </ul>
 */
public final class OrderMessages {

    private static final ZoneId LOCAL = ZoneId.of("Europe/Amsterdam");

    private OrderMessages() {
    }

    /** The order, or why it cannot be taken. */
    public static PrefetchOrder read(Message order, Instant now) throws OrderRejectedException {
        try {
            Terser t = new Terser(order);
            String type = value(t, "/MSH-9-1") + "^" + value(t, "/MSH-9-2");
            if (!type.equals("ORM^O01") && !type.equals("OMI^O23")) {
                throw new OrderRejectedException("unsupported message type " + type + " (ORM^O01 or OMI^O23)",
                        AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "MSH", 9);
            }
            List<PatientIdentifier> patient = patient(order);
            if (patient.isEmpty()) {
                throw new OrderRejectedException("PID-3 has no patient identifier", AcknowledgmentCode.AE,
                        ErrorCode.REQUIRED_FIELD_MISSING, "PID", 3);
            }
            for (PatientIdentifier id : patient) {
                if (id.isBsn() && !Bsn.isValid(id.id())) {
                    throw new OrderRejectedException("PID-3 carries an invalid BSN", AcknowledgmentCode.AE,
                            ErrorCode.DATA_TYPE_ERROR, "PID", 3);
                }
            }
            String code = value(t, "/.OBR-4-1");
            String text = value(t, "/.OBR-4-2");
            if (code.isEmpty() && text.isEmpty()) {
                throw new OrderRejectedException("OBR-4 names no planned exam", AcknowledgmentCode.AE,
                        ErrorCode.REQUIRED_FIELD_MISSING, "OBR", 4);
            }
            String system = value(t, "/.OBR-4-3");
            List<ExamDescription.Code> codes = new ArrayList<>();
            if (!code.isEmpty()) {
                codes.add(new ExamDescription.Code("LN".equalsIgnoreCase(system) ? ExamDescription.LOINC
                        : system.isEmpty() ? "local" : system, code));
            }
            String site = firstNonEmpty(value(t, "/.OBR-15-4-2"), value(t, "/.OBR-15-4-1"), value(t, "/.OBR-15-1-2"));
            String description = site.isEmpty() ? text : (text + " " + site).trim();
            String placer = firstNonEmpty(value(t, "/.ORC-2-1"), value(t, "/.OBR-2-1"));
            if (placer.isEmpty()) {
                throw new OrderRejectedException("ORC-2 (or OBR-2) has no placer order number", AcknowledgmentCode.AE,
                        ErrorCode.REQUIRED_FIELD_MISSING, "ORC", 2);
            }
            if (placer.length() > 128) {
                throw new OrderRejectedException("ORC-2 is longer than 128 characters", AcknowledgmentCode.AE,
                        ErrorCode.DATA_TYPE_ERROR, "ORC", 2);
            }
            Instant planned = planned(t).orElse(now);
            return new PrefetchOrder(value(t, "/MSH-10"), placer, patient, value(t, "/MSH-4-1"),
                    new ExamDescription(codes, description), planned);
        } catch (HL7Exception e) {
            throw new OrderRejectedException("unreadable order: " + e.getMessage(), AcknowledgmentCode.AR,
                    ErrorCode.APPLICATION_INTERNAL_ERROR, "MSH", 9);
        }
    }

    /** AA, with {@code text} in MSA-3. */
    public static Message accepted(Message order, String text) throws HL7Exception, IOException {
        return FeedMessages.accepted(order, text);
    }

    /** AE or AR with an ERR segment naming the field and the HL7 error code. */
    public static Message rejected(Message order, OrderRejectedException rejection) throws HL7Exception, IOException {
        return FeedMessages.error(order, rejection.ack(), rejection.getMessage(), rejection.error(),
                rejection.segment(), rejection.field());
    }

    private static List<PatientIdentifier> patient(Message order) throws HL7Exception {
        List<PatientIdentifier> ids = new ArrayList<>();
        Segment pid = new Terser(order).getSegment("/.PID");
        for (Type cx : pid.getField(3)) {
            String id = Terser.getPrimitive(cx, 1, 1).getValue();
            String namespace = Terser.getPrimitive(cx, 4, 1).getValue();
            String universal = Terser.getPrimitive(cx, 4, 2).getValue();
            if (id != null && !id.isBlank()) {
                ids.add(new PatientIdentifier(id.trim(), universal != null && !universal.isBlank() ? universal : namespace));
            }
        }
        return ids;
    }

    private static Optional<Instant> planned(Terser t) throws OrderRejectedException {
        for (String path : List.of("/.TQ1-7-1", "/.OBR-27-4-1", "/.ORC-15-1", "/.OBR-7-1")) {
            String ts = value(t, path);
            if (!ts.isEmpty()) {
                return Optional.of(timestamp(ts, path.substring(2, path.length() - 2)));
            }
        }
        return Optional.empty();
    }

    /** An HL7 TS (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) as an instant. */
    static Instant timestamp(String ts, String field) throws OrderRejectedException {
        try {
            String digits = ts;
            String offset = null;
            int sign = Math.max(ts.indexOf('+'), ts.indexOf('-'));
            if (sign > 0) {
                digits = ts.substring(0, sign);
                offset = ts.substring(sign);
            }
            int dot = digits.indexOf('.');
            if (dot > 0) {
                digits = digits.substring(0, dot);
            }
            LocalDateTime local;
            if (digits.length() == 8) {
                local = LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay();
            } else if (digits.length() == 12 || digits.length() == 14) {
                String padded = digits.length() == 12 ? digits + "00" : digits;
                local = LocalDateTime.parse(padded, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            } else {
                throw new IllegalArgumentException("length " + digits.length());
            }
            if (offset != null) {
                return OffsetDateTime.of(local, java.time.ZoneOffset.of(offset.substring(0, 3) + ":" + offset.substring(3)))
                        .toInstant();
            }
            return local.atZone(LOCAL).toInstant();
        } catch (RuntimeException e) {
            String segment = field.substring(0, 3);
            int number = Integer.parseInt(field.substring(4).split("-")[0]);
            throw new OrderRejectedException(field + " is not an HL7 timestamp", AcknowledgmentCode.AE,
                    ErrorCode.DATA_TYPE_ERROR, segment, number);
        }
    }

    private static String value(Terser t, String path) {
        try {
            String v = t.get(path);
            return v == null ? "" : v.trim();
        } catch (HL7Exception | RuntimeException e) {
            return "";
        }
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
