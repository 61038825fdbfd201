package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IHE IUA JWT extension (ITI TF-2 3.71.4.2.2.1.1) as Beeldbrug reads it: the claims sit in
 * {@code "extensions": {"ihe_iua": {...}}}; {@code subject_role} and {@code purpose_of_use} are FHIR
 * Codings ({@code {"system": ..., "code": ...}}), one object or an array of them.
 * <ul>
 *   <li>{@code purpose_of_use} (required here): exactly one of HL7 v3 ActReason ({@value #ACT_REASON} or
 *       {@code urn:oid:2.16.840.1.113883.5.8}) TREAT, COC, HRESCH, or {@value #BEELDBRUG_PURPOSE} AI;</li>
 *   <li>{@code subject_role} (required here): exactly one UZI role code ({@value #UZI_ROLE_SYSTEM}, e.g. {@code 01.015});</li>
 *   <li>{@code subject_organization_id} (optional): {@code urn:oid:2.16.528.1.1007.3.3.<URA>} gives the URA;</li>
 *   <li>{@code national_provider_identifier} (optional): the UZI number of the professional;</li>
 *   <li>{@code home_community_id} (optional).</li>
 * </ul>
 */
public final class IuaClaims {

    public static final String EXTENSIONS = "extensions";
    public static final String IHE_IUA = "ihe_iua";
    public static final String PURPOSE_OF_USE = "purpose_of_use";
    public static final String SUBJECT_ROLE = "subject_role";
    public static final String SUBJECT_ORGANIZATION_ID = "subject_organization_id";
    public static final String NATIONAL_PROVIDER_IDENTIFIER = "national_provider_identifier";
    public static final String HOME_COMMUNITY_ID = "home_community_id";

    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String BEELDBRUG_PURPOSE = "https://beeldbrug.nl/fhir/CodeSystem/purpose-of-use";
    public static final String UZI_ROLE_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.15.111";

    private static final Set<String> ACT_REASON_SYSTEMS = Set.of(ACT_REASON, "urn:oid:2.16.840.1.113883.5.8", "2.16.840.1.113883.5.8");
    private static final Set<String> UZI_ROLE_SYSTEMS = Set.of(UZI_ROLE_SYSTEM, "2.16.840.1.113883.2.4.15.111");
    private static final Pattern UZI_ROLE = Pattern.compile("[0-9]{2}\\.[0-9]{3}");
    private static final String URA_PREFIX = "urn:oid:" + Ura.OID + ".";

    private final Map<String, Object> iua;

    private IuaClaims(Map<String, Object> iua) {
        this.iua = iua;
    }

    /** The {@code ihe_iua} object of a claims set's {@code extensions}. */
    static IuaClaims of(Object extensions) throws InvalidTokenException {
        if (extensions == null) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no extensions.ihe_iua claims");
        }
        if (!(extensions instanceof Map<?, ?> map) || !(map.get(IHE_IUA) instanceof Map<?, ?> iua)) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no extensions.ihe_iua claims");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) iua;
        return new IuaClaims(claims);
    }

    PurposeOfUse purpose() throws InvalidTokenException {
        List<Map<?, ?>> codings = codings(PURPOSE_OF_USE);
        if (codings.size() != 1) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, "purpose_of_use must name exactly one purpose");
        }
        String system = text(codings.get(0).get("system"));
        String code = text(codings.get(0).get("code"));
        if (system != null && ACT_REASON_SYSTEMS.contains(system)) {
            switch (String.valueOf(code)) {
                case "TREAT": return PurposeOfUse.TREAT;
                case "COC": return PurposeOfUse.COC;
                case "HRESCH": return PurposeOfUse.RESEARCH;
                default: break;
            }
        } else if (BEELDBRUG_PURPOSE.equals(system) && "AI".equals(code)) {
            return PurposeOfUse.AI;
        }
        throw new InvalidTokenException(TokenFailure.UNKNOWN_PURPOSE);
    }

    String uziRole() throws InvalidTokenException {
        List<Map<?, ?>> codings = codings(SUBJECT_ROLE).stream()
                .filter(c -> UZI_ROLE_SYSTEMS.contains(String.valueOf(c.get("system")))).toList();
        if (codings.size() != 1) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, "subject_role must hold exactly one UZI role code");
        }
        String code = text(codings.get(0).get("code"));
        if (code == null || !UZI_ROLE.matcher(code).matches()) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, "subject_role is not a UZI role code (nn.nnn)");
        }
        return code;
    }

    /** The URA of {@code subject_organization_id}, null when absent or another kind of organisation id. */
    Ura organisation() throws InvalidTokenException {
        String id = optionalText(SUBJECT_ORGANIZATION_ID);
        if (id == null || !id.startsWith(URA_PREFIX)) {
            return null;
        }
        try {
            return Ura.of(id.substring(URA_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, "subject_organization_id is not a valid URA");
        }
    }

    String nationalProviderIdentifier() throws InvalidTokenException {
        return optionalText(NATIONAL_PROVIDER_IDENTIFIER);
    }

    String homeCommunityId() throws InvalidTokenException {
        return optionalText(HOME_COMMUNITY_ID);
    }

    private String optionalText(String name) throws InvalidTokenException {
        Object value = iua.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, name + " must be a non-empty string");
        }
        return s;
    }

    private List<Map<?, ?>> codings(String name) throws InvalidTokenException {
        Object value = iua.get(name);
        if (value == null) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no " + name);
        }
        List<Map<?, ?>> result = new ArrayList<>();
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
            if (!(item instanceof Map<?, ?> coding)) {
                throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, name + " must be a FHIR Coding or an array of them");
            }
            result.add(coding);
        }
        if (result.isEmpty()) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no " + name);
        }
        return result;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }
}
