package nl.beeldbrug.registry.xds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.JsonUtils;

import java.io.UncheckedIOException;

/** Stores IPF's simplified XDS model objects as JSON, using the mapper IPF provides for it. */
public final class MetadataJson {

    private static final ObjectMapper MAPPER = JsonUtils.createObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
}
