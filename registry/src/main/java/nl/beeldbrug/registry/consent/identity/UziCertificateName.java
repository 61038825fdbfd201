package nl.beeldbrug.registry.consent.identity;

import java.util.Optional;

/**
 * The identifiers the UZI register puts in its certificates: subjectAltName otherName with type id
 * {@link #OTHER_NAME_TYPE} (2.5.5.5) and an IA5String
 * {@code <OID CA>-<version>-<UZI number>-<card type>-<subscriber number>-<role>-<AGB code>}, e.g.
 * {@code 2.16.528.1.1003.1.3.5.5.5-1-12345678-S-90000123-00.000-00000000} for a server certificate.
 * The subscriber number ("abonneenummer") is the organisation's URA. Card types: Z care provider,
 * N named employee, M unnamed employee, S server; role {@code 00.000} when there is none.
 *
 * @param oidCa            OID of the issuing UZI CA (2.16.528.1.1003.1.3.5.5.2 care provider, .3 named
 *                         employee, .4 unnamed employee, .5 server)
 * @param version          version of the format (1)
 * @param uziNumber        UZI number of the card or server certificate
 * @param cardType         Z, N, M or S
 * @param subscriberNumber the subscriber (organisation) number: the URA
 * @param role             UZI role code (profession.specialism), 00.000 for servers
 * @param agbCode          AGB code, 00000000 when none
 */
public record UziCertificateName(String oidCa, String version, String uziNumber, String cardType,
                                 String subscriberNumber, String role, String agbCode) {

    /** The otherName type id the UZI register uses for this string. */
    public static final String OTHER_NAME_TYPE = "2.5.5.5";
    /** Prefix of the UZI register's CA OIDs. */
    public static final String UZI_CA_PREFIX = "2.16.528.1.1003.1.3.5.5.";
    /** The UZI register server CA: its certificates carry card type S. */
    public static final String UZI_SERVER_CA = UZI_CA_PREFIX + "5";

    /** Parses the otherName string; empty when it does not have the UZI form. */
    public static Optional<UziCertificateName> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("-", -1);
        if (parts.length != 7 || !parts[0].startsWith(UZI_CA_PREFIX) || !parts[0].matches("[0-9.]+")
                || !parts[1].matches("[0-9]+") || !parts[2].matches("[0-9]{1,12}") || !parts[3].matches("[ZNMS]")
                || !parts[4].matches("[0-9]{8}") || !parts[5].matches("[0-9]{2}\\.[0-9]{3}") || !parts[6].matches("[0-9]{8}")) {
            return Optional.empty();
        }
        return Optional.of(new UziCertificateName(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]));
    }

    /** The string as it appears in the certificate. */
    public String format() {
        return String.join("-", oidCa, version, uziNumber, cardType, subscriberNumber, role, agbCode);
    }

    public boolean isServerCertificate() {
        return "S".equals(cardType);
    }
}
