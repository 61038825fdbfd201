package nl.beeldbrug.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Mutual TLS on the HTTP endpoints (FHIR, SOAP, anything on {@code server.port}), under
 * {@code beeldbrug.security.tls.*}. Off by default (the zero-config demo speaks plain HTTP). The management
 * port stays plain HTTP either way. With {@code enabled=true} the tokens must be on too
 * ({@code beeldbrug.security.tokens.enabled=true}): the certificate says who asks, the token why.
 *
 * @param enabled            serve {@code server.port} over TLS and require client certificates
 * @param certificateChain   PEM: this server's certificate, then its intermediate CA(s)
 * @param privateKey         PEM: its private key (PKCS#8 or traditional OpenSSL form, unencrypted)
 * @param trustAnchors       PEM: the CA certificate(s) client chains must lead to (e.g. UZI-register roots)
 * @param crls               PEM or DER CRL files of those CAs (and their intermediates); re-read every {@code crlReload}
 * @param requireCrl         refuse a client whose issuing CA has no current CRL (revocation unknown fails closed)
 * @param crlReload          how often the CRL files are read anew (CAs publish new CRLs before nextUpdate)
 * @param clientAuthRequired true: a client without certificate fails the handshake; false: it gets a 403
 * @param subjects           subject → URA for client certificates without the UZI otherName
 */
@ConfigurationProperties("beeldbrug.security.tls")
public record TlsProperties(@DefaultValue("false") boolean enabled,
                            Path certificateChain,
                            Path privateKey,
                            Path trustAnchors,
                            @DefaultValue List<Path> crls,
                            @DefaultValue("true") boolean requireCrl,
                            @DefaultValue("5m") Duration crlReload,
                            @DefaultValue("true") boolean clientAuthRequired,
                            @DefaultValue List<SubjectMapping> subjects) {

    /** A client certificate subject (distinguished name, any RFC 2253 spelling) and the URA it stands for. */
    public record SubjectMapping(String subject, String ura) {
    }
}
