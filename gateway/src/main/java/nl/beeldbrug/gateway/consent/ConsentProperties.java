package nl.beeldbrug.gateway.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Consent enforcement, under {@code beeldbrug.consent.*}.
 *
 * @param nationalMode     {@code LOCAL} (the local registry and defaults decide), {@code NATIONAL} (Mitz decides
 *                         TREAT/COC), {@code NATIONAL_OR_LOCAL}
 * @param treatmentDefault what TREAT/COC get when nothing applies in {@code LOCAL} mode: {@code PERMIT} or {@code DENY}
 * @param organisations    the organisation directory: URA → type (and name), for requesters and data holders that
 *                         are not connected archives ({@code beeldbrug.bridge.sources} are known already)
 * @param defaultOrganisationType the type assumed for a data holder that is in neither list
 */
@ConfigurationProperties("beeldbrug.consent")
public record ConsentProperties(@DefaultValue("LOCAL") String nationalMode,
                                @DefaultValue("PERMIT") String treatmentDefault,
                                @DefaultValue List<Organisation> organisations,
                                @DefaultValue("hospital") String defaultOrganisationType) {

    /** One organisation of the directory. */
    public record Organisation(String ura, String type, String name) {
    }
}
