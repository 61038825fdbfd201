package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.registry.ai.InstanceHeader;
import nl.beeldbrug.registry.ai.StudyCandidate;
import nl.beeldbrug.registry.ai.StudyEvidence;

/**
 * The validation gate's evidence from the connected archives: the DICOM JSON metadata of every instance the data
 * holder's archive holds of the study (the source whose URA is the manifest's author institution, else the configured
 * default source), as {@link InstanceHeader}s. Sequences are kept as their first item's Code Value (or {@code 1}), enough
 * for the gate (anatomic region, document title); Pixel Data counts as present when the metadata names it.
 */
public final class ArchiveStudyEvidence implements StudyEvidence {

    private static final String[] PIXEL_DATA = {"7FE00010", "7FE00008", "7FE00009"};

    private final BridgeProperties bridge;
    private final Archives archives;
    private final String defaultSource;

    public ArchiveStudyEvidence(BridgeProperties bridge, Archives archives, String defaultSource) {
        this.bridge = bridge;
        this.archives = archives;
        this.defaultSource = defaultSource == null || defaultSource.isBlank() ? null : defaultSource;
    }

    @Override
    public List<InstanceHeader> headers(StudyCandidate study) throws IOException {
        Optional<BridgeProperties.Source> source = source(study);
        if (source.isEmpty()) {
            return List.of();
        }
        return headers(archives.of(source.get()).orElse(null), study.studyUid());
    }

    @Override
    public List<InstanceHeader> headers(String studyUid) throws IOException {
        return defaultSource == null ? List.of() : headers(archives.of(defaultSource).orElse(null), studyUid);
    }

    @Override
    public String sourceId(StudyCandidate study) {
        return source(study).map(BridgeProperties.Source::id).orElse(null);
    }

    private Optional<BridgeProperties.Source> source(StudyCandidate study) {
        Optional<BridgeProperties.Source> byHolder = study.holder() == null ? Optional.empty()
                : bridge.sourceOfUra(study.holder().value());
        return byHolder.isPresent() || defaultSource == null ? byHolder : bridge.source(defaultSource);
    }

    private static List<InstanceHeader> headers(Archive archive, String studyUid) throws IOException {
        if (archive == null) {
            return List.of();
        }
        List<InstanceHeader> headers = new ArrayList<>();
        archive.metadata(Archive.Scope.study(studyUid), json -> headers.add(header(json)));
        return headers;
    }

    /** One instance's DICOM JSON (PS3.18 F.2) as a header. */
    static InstanceHeader header(JsonNode json) {
        Map<Integer, String> values = new HashMap<>();
        boolean pixelData = false;
        for (String tag : PIXEL_DATA) {
            pixelData |= json.has(tag);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().matches("[0-9A-Fa-f]{8}")) {
                continue;
            }
            String value = value(field.getValue());
            if (value != null) {
                values.put((int) Long.parseLong(field.getKey(), 16), value);
            }
        }
        return new InstanceHeader(values, pixelData);
    }

    private static String value(JsonNode element) {
        JsonNode value = element.get("Value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            return null;
        }
        if ("SQ".equals(element.path("vr").asText())) {
            JsonNode code = value.get(0).path("00080100").path("Value");
            return code.isArray() && !code.isEmpty() ? code.get(0).asText() : "1";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode v : value) {
            if (v.isObject()) {
                parts.add(v.path("Alphabetic").asText(""));
            } else if (v.isNumber()) {
                parts.add(v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString());
            } else {
                parts.add(v.asText());
            }
        }
        String joined = String.join("\\", parts);
        return joined.isEmpty() ? null : joined;
    }
}
