package nl.beeldbrug.registry.consent;

/**
 * The kind of care organisation (hospital, ZDC, GP practice, AI platform, ...). The code is Beeldbrug's
 * own short code; the national code system (2.16.840.1.113883.2.4.15.1060, "zorgaanbiedercategorie"),
 * which Mitz is asked in, is mapped to it by configuration.
 */
public record OrganisationType(String code) {

    /** Code system of the national organisation type (care provider category). */
    public static final String OID = "2.16.840.1.113883.2.4.15.1060";

    public static final OrganisationType HOSPITAL = new OrganisationType("hospital");
    public static final OrganisationType ZDC = new OrganisationType("zdc");
    public static final OrganisationType GP = new OrganisationType("gp");
    public static final OrganisationType AI_PLATFORM = new OrganisationType("ai-platform");

    public OrganisationType {
        if (code == null || !code.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("an organisation type code is 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    public static OrganisationType of(String code) {
        return new OrganisationType(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
