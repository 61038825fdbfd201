package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.VR;

import java.math.BigDecimal;
import java.util.Base64;

/**
 * A data set in the DICOM JSON model (PS3.18 F.2) for WADO-RS metadata: text and numbers as values, PN as its
 * Alphabetic group, sequences item by item; binary values up to 1 KiB inline, larger ones (pixel data) left
 * out with their VR only, as metadata carries no bulk data.
 */
public final class DicomJsonWriter {

    private static final int INLINE_BINARY_MAX = 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DicomJsonWriter() {
    }

    public static JsonNode toJson(Attributes attributes) {
        ObjectNode out = NODES.objectNode();
        for (Element e : attributes.elements()) {
            if ((e.tag() & 0xFFFF) == 0 || e.tag() >>> 16 == 0x0002) {
                continue; // group lengths, file meta
            }
            ObjectNode element = out.putObject(String.format("%08X", e.tag()));
            element.put("vr", e.vr().name());
            if (e.value() == null) {
                continue;
            }
            if (e.value() instanceof Sequence sequence) {
                ArrayNode items = element.putArray("Value");
                for (Attributes item : sequence) {
                    items.add(toJson(item));
                }
            } else if (e.value() instanceof byte[] bytes) {
                value(attributes, e, bytes, element);
            }
        }
        return out;
    }

    private static void value(Attributes attributes, Element e, byte[] bytes, ObjectNode element) {
        VR vr = e.vr();
        switch (vr) {
            case PN -> {
                ArrayNode values = element.putArray("Value");
                for (String s : attributes.getStrings(e.tag())) {
                    values.add(NODES.objectNode().put("Alphabetic", s));
                }
            }
            case IS, DS -> {
                ArrayNode values = element.putArray("Value");
                for (String s : attributes.getStrings(e.tag())) {
                    try {
                        values.add(new BigDecimal(s.trim()));
                    } catch (NumberFormatException ex) {
                        values.add(s);
                    }
                }
            }
            case US, SS, UL, SL -> {
                ArrayNode values = element.putArray("Value");
                for (String s : attributes.getStrings(e.tag())) {
                    values.add(Long.parseLong(s));
                }
            }
            case OB, OW, OF, OD, OL, OV, UN, FL, FD, AT, SV, UV -> {
                if (bytes.length <= INLINE_BINARY_MAX) {
                    element.put("InlineBinary", Base64.getEncoder().encodeToString(bytes));
                }
            }
            default -> {
                if (vr.isString()) {
                    ArrayNode values = element.putArray("Value");
                    for (String s : attributes.getStrings(e.tag())) {
                        values.add(s);
                    }
                }
            }
        }
    }
}
