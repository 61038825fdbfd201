package nl.beeldbrug.registry.xds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
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

    /** The stored form ({@link PackedMetadata}) of the object's JSON: what the {@code metadata} columns hold. */
    public static byte[] writePacked(Object metadata) {
        try {
            return PackedMetadata.pack(MAPPER.writeValueAsBytes(metadata));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code metadata} column that {@link #writePacked} wrote. */
    public static <T> T readPacked(byte[] stored, Class<T> type) {
        try {
            return MAPPER.readValue(PackedMetadata.unpack(stored), type);
        } catch (IOException e) {
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

    /**
     * Reads a code token by token (this runs for every code of every entry a query returns; building a tree per
     * code was a visible share of reading entries). A field's text is what {@code JsonNode.asText()} gave: a
     * scalar's text, "" for an object or array, null when absent or null.
     */
    private static final class CodeDeserializer extends JsonDeserializer<Code> {
        @Override
        public Code deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return new Code(null, null, null);
            }
            String code = null;
            String scheme = null;
            LocalizedString name = null;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "code" -> code = text(parser, value);
                    case "codeSystemName" -> scheme = text(parser, value);
                    case "displayName" -> name = displayName(parser, value);
                    default -> parser.skipChildren();
                }
            }
            return new Code(code, name, scheme);
        }

        private static LocalizedString displayName(JsonParser parser, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_STRING) {
                return new LocalizedString(parser.getText()); // the form IPF writes
            }
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return null;
            }
            String value = null;
            String language = null;
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                switch (field) {
                    case "value" -> value = text(parser, v);
                    case "language" -> language = text(parser, v);
                    default -> parser.skipChildren();
                }
            }
            return new LocalizedString(value, language, "UTF-8");
        }

        private static String text(JsonParser parser, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
                return "";
            }
            return parser.getText();
        }
    }
}
