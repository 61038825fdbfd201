package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.patient.Bsn;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * The XDS ⇄ FHIR conversions of single values, both ways: codes, timestamps, identifiers, hashes.
 * XDS code schemes known to FHIR by a URL (SNOMED CT, LOINC, DCM, HL7 v3 Confidentiality, IHE format
 * codes) get that URL; every other scheme OID becomes {@code urn:oid:<oid>}, and back.
 */
public final class XdsFhirTypes {

    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
    private static final Map<String, String> SYSTEMS = Map.of(
            "1.2.840.10008.2.16.4", FhirNaming.DCM,
            "2.16.840.1.113883.6.96", FhirNaming.SNOMED,
            "2.16.840.1.113883.6.1", "http://loinc.org",
            "2.16.840.1.113883.5.25", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
            "1.3.6.1.4.1.19376.1.2.3", "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode");
    /** Assigning authorities with a Dutch naming system URL. */
    private static final Map<String, String> NAMING_SYSTEMS = Map.of(
            Bsn.OID, FhirNaming.BSN,
            "2.16.528.1.1007.3.3", FhirNaming.URA,
            "2.16.528.1.1007.3.1", "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers",
            "2.16.840.1.113883.2.4.6.1", "http://fhir.nl/fhir/NamingSystem/agb-z");

    private XdsFhirTypes() {
    }

    public static boolean isOid(String value) {
        return value != null && value.length() <= 64 && OID.matcher(value).matches();
    }

    // ------------------------------------------------------------------ codes

    public static String systemOfScheme(String scheme) {
        if (scheme == null) {
            return null;
        }
        String known = SYSTEMS.get(scheme);
        return known != null ? known : isOid(scheme) ? MhdNaming.URN_OID + scheme : scheme;
    }

    public static String schemeOfSystem(String system) {
        if (system == null) {
            return null;
        }
        for (Map.Entry<String, String> e : SYSTEMS.entrySet()) {
            if (e.getValue().equals(system)) {
                return e.getKey();
            }
        }
        return system.startsWith(MhdNaming.URN_OID) ? system.substring(MhdNaming.URN_OID.length()) : system;
    }

    public static Coding coding(Code code) {
        Coding coding = new Coding(systemOfScheme(code.getSchemeName()), code.getCode(), null);
        if (code.getDisplayName() != null && code.getDisplayName().getValue() != null) {
            coding.setDisplay(code.getDisplayName().getValue());
        }
        return coding;
    }

    public static CodeableConcept concept(Code code) {
        return code == null ? null : new CodeableConcept().addCoding(coding(code));
    }

    /** The XDS code of a coding; null when it has no code. */
    public static Code code(Coding coding) {
        if (coding == null || coding.getCode() == null) {
            return null;
        }
        return new Code(coding.getCode(), coding.getDisplay() == null ? null : new LocalizedString(coding.getDisplay()),
                schemeOfSystem(coding.getSystem()));
    }

    /** The XDS code of a concept's first coding; null when it has none. */
    public static Code code(CodeableConcept concept) {
        return concept == null || concept.getCoding().isEmpty() ? null : code(concept.getCodingFirstRep());
    }

    // ------------------------------------------------------------------ times

    public static DateTimeType dateTime(Timestamp timestamp) {
        if (timestamp == null || timestamp.getDateTime() == null) {
            return null;
        }
        TemporalPrecisionEnum precision = switch (timestamp.getPrecision()) {
            case YEAR -> TemporalPrecisionEnum.YEAR;
            case MONTH -> TemporalPrecisionEnum.MONTH;
            case DAY -> TemporalPrecisionEnum.DAY;
            default -> TemporalPrecisionEnum.SECOND;
        };
        return new DateTimeType(Date.from(timestamp.getDateTime().toInstant()), precision, TimeZone.getTimeZone("UTC"));
    }

    public static Timestamp timestamp(DateTimeType dateTime) {
        if (dateTime == null || dateTime.getValue() == null) {
            return null;
        }
        return switch (dateTime.getPrecision()) {
            case YEAR -> new Timestamp(utc(dateTime.getYear(), 1, 1), Timestamp.Precision.YEAR);
            case MONTH -> new Timestamp(utc(dateTime.getYear(), dateTime.getMonth() + 1, 1), Timestamp.Precision.MONTH);
            case DAY -> new Timestamp(utc(dateTime.getYear(), dateTime.getMonth() + 1, dateTime.getDay()), Timestamp.Precision.DAY);
            default -> new Timestamp(ZonedDateTime.ofInstant(dateTime.getValue().toInstant(), ZoneOffset.UTC)
                    .withNano(0), Timestamp.Precision.SECOND);
        };
    }

    private static ZonedDateTime utc(int year, int month, int day) {
        return ZonedDateTime.of(year, month, day, 0, 0, 0, 0, ZoneOffset.UTC);
    }

    // ------------------------------------------------------------------ identifiers

    /** A uniqueId as URI: {@code urn:oid:} for an OID, else unchanged. */
    public static String uniqueIdUri(String uniqueId) {
        return isOid(uniqueId) ? MhdNaming.URN_OID + uniqueId : uniqueId;
    }

    public static String uniqueIdOf(String uri) {
        return uri != null && uri.startsWith(MhdNaming.URN_OID) ? uri.substring(MhdNaming.URN_OID.length()) : uri;
    }

    /** The FHIR id of an entryUUID ({@code urn:uuid:} removed). */
    public static String idOf(String entryUuid) {
        return entryUuid != null && entryUuid.startsWith(MhdNaming.URN_UUID) ? entryUuid.substring(MhdNaming.URN_UUID.length()) : entryUuid;
    }

    public static Identifier identifier(Identifiable id) {
        if (id == null || id.getId() == null) {
            return null;
        }
        Identifier identifier = new Identifier().setValue(id.getId());
        String authority = id.getAssigningAuthority() == null ? null : id.getAssigningAuthority().getUniversalId();
        if (authority != null) {
            identifier.setSystem(NAMING_SYSTEMS.getOrDefault(authority, MhdNaming.URN_OID + authority));
        }
        return identifier;
    }

    public static Identifiable identifiable(Identifier identifier) {
        if (identifier == null || identifier.getValue() == null) {
            return null;
        }
        String system = identifier.getSystem();
        if (system == null) {
            return new Identifiable(identifier.getValue());
        }
        String authority = NAMING_SYSTEMS.entrySet().stream().filter(e -> e.getValue().equals(system))
                .map(Map.Entry::getKey).findFirst().orElse(uniqueIdOf(system));
        return new Identifiable(identifier.getValue(), new AssigningAuthority(authority, "ISO"));
    }

    // ------------------------------------------------------------------ hashes

    /** XDS writes SHA-1 as hex, FHIR Attachment.hash is the digest's bytes in base64. */
    public static byte[] hashBytes(String hex) {
        return hex == null ? null : HexFormat.of().parseHex(hex);
    }

    public static String hashHex(byte[] digest) {
        return digest == null ? null : HexFormat.of().formatHex(digest);
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
