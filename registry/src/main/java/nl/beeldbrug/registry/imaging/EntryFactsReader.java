package nl.beeldbrug.registry.imaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.PackedMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@link EntryFacts} of a stored DocumentEntry ({@code registry_object.metadata}) token by token, taking the
 * dozen fields a study summary needs and skipping the rest. Reading IPF's model of the whole entry (HL7v2-backed
 * objects for every identifier, code and person) was most of what a prior check or ImagingStudy search spent per
 * study. Anything this reader does not expect — a field of another shape, a date it cannot parse — sends the entry
 * the long way, through IPF's model ({@link EntryFacts#of}), so it never guesses.
 */
public final class EntryFactsReader {

    private static final JsonFactory JSON = new JsonFactory();

    private EntryFactsReader() {
    }

    /** The facts of the stored entry; {@code entryUuid} is the row's (the column, not the JSON, is the truth). */
    public static EntryFacts read(byte[] stored, String entryUuid) {
        byte[] json = PackedMetadata.unpack(stored);
        try {
            return parse(json, entryUuid);
        } catch (Unexpected | IOException | DateTimeParseException e) {
            DocumentEntry entry = MetadataJson.readPacked(stored, DocumentEntry.class);
            entry.setEntryUuid(entryUuid);
            return EntryFacts.of(entry);
        }
    }

    /** A shape this reader leaves to IPF's model. */
    static final class Unexpected extends Exception {
        Unexpected() {
            super(null, null, false, false);
        }
    }

    /** The short way only (JSON, not the stored form): what {@link #read} does before it falls back. */
    static EntryFacts parse(byte[] json, String entryUuid) throws IOException, Unexpected {
        String uniqueId = null;
        String repositoryUniqueId = null;
        String mimeType = null;
        String title = null;
        String formatCode = null;
        Instant serviceStart = null;
        List<Accession> accessions = List.of();
        List<CodedValue> eventCodes = List.of();
        Organisation institution = null;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT);
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "uniqueId" -> uniqueId = string(p, value);
                    case "repositoryUniqueId" -> repositoryUniqueId = string(p, value);
                    case "mimeType" -> mimeType = string(p, value);
                    case "title" -> title = localized(p, value);
                    case "formatCode" -> formatCode = value == JsonToken.VALUE_NULL ? null : code(p, value).code();
                    case "serviceStartTime" -> serviceStart = timestamp(p, value);
                    case "referenceIdList" -> accessions = accessions(p, value);
                    case "eventCode" -> eventCodes = codes(p, value);
                    case "author" -> institution = institution(p, value);
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null);
        }
        boolean manifest = formatCode != null && formatCode.endsWith(StudyAttributes.KOS_SOP_CLASS);
        return new EntryFacts(entryUuid, uniqueId, repositoryUniqueId, mimeType, title, manifest, serviceStart,
                accessions, eventCodes, institution);
    }

    private static void expect(boolean condition) throws Unexpected {
        if (!condition) {
            throw new Unexpected();
        }
    }

    /** A string or null; any other shape is left to IPF's model. */
    private static String string(JsonParser p, JsonToken token) throws IOException, Unexpected {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token == JsonToken.VALUE_STRING);
        return p.getText();
    }

    /** A LocalizedString's value: {@code {"value": …, "language": …}}. */
    private static String localized(JsonParser p, JsonToken token) throws IOException, Unexpected {
        return member(p, token, "value");
    }

    /**
     * The string member {@code name} of an object (null when absent or null; the object itself may be null), skipping
     * the others.
     */
    private static String member(JsonParser p, JsonToken token, String name) throws IOException, Unexpected {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token == JsonToken.START_OBJECT);
        String value = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals(name)) {
                value = string(p, v);
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    /** A code as {@code MetadataJson} writes it (and the bare-text display name of older rows). */
    private static CodedValue code(JsonParser p, JsonToken token) throws IOException, Unexpected {
        expect(token == JsonToken.START_OBJECT);
        String code = null;
        String scheme = null;
        String display = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "code" -> code = string(p, v);
                case "codeSystemName" -> scheme = string(p, v);
                case "displayName" -> display = v == JsonToken.VALUE_STRING ? p.getText() : localized(p, v);
                default -> p.skipChildren();
            }
        }
        return new CodedValue(code, scheme, display);
    }

    private static List<CodedValue> codes(JsonParser p, JsonToken token) throws IOException, Unexpected {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(token == JsonToken.START_ARRAY);
        List<CodedValue> codes = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            codes.add(code(p, t));
        }
        return codes;
    }

    /** A Timestamp: {@code {"dateTime": "2024-03-01T10:00:00.000+00:00", "precision": …}}. */
    private static Instant timestamp(JsonParser p, JsonToken token) throws IOException, Unexpected {
        String text = member(p, token, "dateTime");
        return text == null ? null : instant(text);
    }

    /**
     * The instant of an ISO date-time with offset. IPF writes {@code 2024-03-01T10:00:00.000+01:00} (milliseconds, an
     * offset in hours and minutes): that form is read field by field; any other goes to {@link OffsetDateTime#parse}.
     */
    static Instant instant(String text) {
        if (text.length() == 29 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(26) == ':'
                && (text.charAt(23) == '+' || text.charAt(23) == '-')) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            int milli = digits(text, 20, 3);
            int offsetHours = digits(text, 24, 2);
            int offsetMinutes = digits(text, 27, 2);
            boolean digitsOnly = Math.min(Math.min(Math.min(year, month), Math.min(day, hour)),
                    Math.min(Math.min(minute, second), Math.min(milli, Math.min(offsetHours, offsetMinutes)))) >= 0;
            if (digitsOnly && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59
                    && second <= 59 && offsetHours < 18 && offsetMinutes <= 59) {
                try {
                    long days = LocalDate.of(year, month, day).toEpochDay();
                    int offset = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(23) == '-' ? -1 : 1);
                    return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second - offset,
                            milli * 1_000_000L);
                } catch (DateTimeException noSuchDay) {
                    // 30 February and the like: the parser below says so in its own words
                }
            }
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 when a character is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The assigning authority's universalId: {@code {"namespaceId": …, "universalId": …, "universalIdType": …}}. */
    private static String universalId(JsonParser p, JsonToken token) throws IOException, Unexpected {
        return member(p, token, "universalId");
    }

    /** The accession numbers of a referenceIdList: {@code [{"id": …, "assigningAuthority": …, "idTypeCode": …}]}. */
    private static List<Accession> accessions(JsonParser p, JsonToken token) throws IOException, Unexpected {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(token == JsonToken.START_ARRAY);
        List<Accession> accessions = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t == JsonToken.START_OBJECT);
            String id = null;
            String issuer = null;
            String type = null;
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, v);
                    case "assigningAuthority" -> issuer = universalId(p, v);
                    case "idTypeCode" -> type = string(p, v);
                    default -> p.skipChildren();
                }
            }
            if (StudyAttributes.ACCESSION_TYPE.equals(type) && id != null && !id.isEmpty()) {
                accessions.add(new Accession(id, issuer));
            }
        }
        return accessions;
    }

    /** The first author institution with a name or a URA: {@code [{"authorInstitution": [{"idNumber", "assigningAuthority", "name"}], …}]}. */
    private static Organisation institution(JsonParser p, JsonToken token) throws IOException, Unexpected {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token == JsonToken.START_ARRAY);
        Organisation first = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t == JsonToken.START_OBJECT);
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("authorInstitution") && v != JsonToken.VALUE_NULL) {
                    expect(v == JsonToken.START_ARRAY);
                    for (JsonToken o = p.nextToken(); o != JsonToken.END_ARRAY; o = p.nextToken()) {
                        Organisation organisation = organisation(p, o);
                        if (first == null) {
                            first = organisation;
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return first;
    }

    private static Organisation organisation(JsonParser p, JsonToken token) throws IOException, Unexpected {
        expect(token == JsonToken.START_OBJECT);
        String name = null;
        String idNumber = null;
        String authority = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, v);
                case "idNumber" -> idNumber = string(p, v);
                case "assigningAuthority" -> authority = universalId(p, v);
                default -> p.skipChildren();
            }
        }
        return EntryFacts.institution(name, idNumber, authority);
    }
}
