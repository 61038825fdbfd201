package nl.beeldbrug.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Which organisations (URAs) may use the privileged FHIR resources, under {@code beeldbrug.security.*}:
 * {@code privacy-officers} search the audit trail (AuditEvent), {@code consent-registrars} create, revoke, read
 * and search Consent. The defaults name only the open requester 99999999 so that the zero-config demo works;
 * with mutual TLS or tokens on, configure the real organisations (99999999 can then never be proven).
 */
@ConfigurationProperties("beeldbrug.security")
public record PrivilegedAccessProperties(@DefaultValue("99999999") List<String> privacyOfficers,
                                         @DefaultValue("99999999") List<String> consentRegistrars) {
}
