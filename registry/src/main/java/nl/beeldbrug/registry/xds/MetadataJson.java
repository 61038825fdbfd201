package nl.beeldbrug.registry.xds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.JsonUtils;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Stores IPF's simplified XDS model objects as JSON, using the mapper IPF provides for it.
 * <p>
 * One addition: IPF writes a code's display name as its bare text, so the language of a display
 * name ("nl-NL" in this affinity domain) came back as IPF's default "en-US". Codes are written with
 * the display name's text and language; the bare-text form written before is still read.
 */
public final class MetadataJson {

    private static final ObjectMapper MAPPER = JsonUtils.createObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("beeldbrug-codes")
                    .addSerializer(Code.class, new CodeSerializer())
                    .addDeserializer(Code.class, new CodeDeserializer()));

    private MetadataJson() {
    }

    public static String write(Object metadata) {
        try {
            return MAPPER.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy (so cached or stored objects are never shared with a caller that mutates). */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T metadata) {
        return (T) read(write(metadata), metadata.getClass());
    }

    private static final class CodeSerializer extends JsonSerializer<Code> {
        @Override
        public void serialize(Code code, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            json.writeStringField("code", code.getCode());
            json.writeStringField("codeSystemName", code.getSchemeName());
            LocalizedString displayName = code.getDisplayName();
            if (displayName != null) {
                json.writeObjectFieldStart("displayName");
                json.writeStringField("value", displayName.getValue());
                json.writeStringField("language", displayName.getLang());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    private static final class CodeDeserializer extends JsonDeserializer<Code> {
        @Override
        public Code deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            JsonNode displayName = node.get("displayName");
            LocalizedString name = null;
            if (displayName != null && displayName.isObject()) {
                name = new LocalizedString(text(displayName, "value"), text(displayName, "language"), "UTF-8");
            } else if (displayName != null && displayName.isTextual()) {
                name = new LocalizedString(displayName.asText()); // the form IPF writes
            }
            return new Code(text(node, "code"), name, text(node, "codeSystemName"));
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }
}
