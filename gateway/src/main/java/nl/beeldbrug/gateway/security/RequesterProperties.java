package nl.beeldbrug.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who a request counts as when it proves nothing, under {@code beeldbrug.security.open-requester.*}: used only
 * while neither mutual TLS nor tokens are switched on (the zero-config demo). Consent is still decided for it
 * like for anyone else; production switches mutual TLS and tokens on, and this is then never used.
 */
@ConfigurationProperties("beeldbrug.security.open-requester")
public record RequesterProperties(@DefaultValue("99999999") String ura,
                                  @DefaultValue("hospital") String type,
                                  @DefaultValue("TREAT") String purpose,
                                  @DefaultValue("open-access") String user,
                                  @DefaultValue("01.015") String uziRole) {
}
