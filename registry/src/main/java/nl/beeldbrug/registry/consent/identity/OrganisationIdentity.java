package nl.beeldbrug.registry.consent.identity;

import nl.beeldbrug.registry.consent.Ura;

import java.security.cert.X509Certificate;

/**
 * The organisation a checked client certificate identifies.
 *
 * @param ura         the organisation's URA
 * @param source      where the URA came from
 * @param uziName     the UZI otherName, when the certificate has one (else null)
 * @param subject     the certificate's subject (RFC 2253)
 * @param certificate the end-entity certificate
 */
public record OrganisationIdentity(Ura ura, Source source, UziCertificateName uziName, String subject,
                                   X509Certificate certificate) {

    public enum Source {
        /** The UZI register's subjectAltName otherName (subscriber number). */
        UZI_CERTIFICATE,
        /** The configured subject → URA mapping (certificates without the UZI profile). */
        CONFIGURED_MAPPING
    }
}
