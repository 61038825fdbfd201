package nl.beeldbrug.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Who may open DICOM associations to Beeldbrug, per calling AE title ({@code beeldbrug.security.dicom.*}). A DICOM
 * association carries no token: its purpose of use comes from here. Bridge sources with a DICOM AE title and a URA
 * are callers too (purpose TREAT) unless listed here. With TLS on ({@code beeldbrug.security.tls.enabled}) the
 * organisation is the client certificate's, and a caller configured with another URA is rejected.
 *
 * @param strict         reject (A-ASSOCIATE-RJ, calling AE not recognised) calling AE titles nobody configured
 * @param defaultPurpose the purpose of use recorded for callers without one (non-strict mode)
 * @param callers        the configured calling AE titles
 */
@ConfigurationProperties("beeldbrug.security.dicom")
public record DicomAccessProperties(@DefaultValue("false") boolean strict,
                                    @DefaultValue("TREAT") String defaultPurpose,
                                    @DefaultValue List<Caller> callers) {

    /**
     * @param aeTitle the calling AE title
     * @param ura     its organisation (eight digits); with TLS it must match the client certificate's
     * @param purpose purpose of use of its associations (TREAT, COC, HRESCH, AI)
     * @param allowed false: its associations are rejected
     */
    public record Caller(String aeTitle, String ura, @DefaultValue("TREAT") String purpose,
                         @DefaultValue("true") boolean allowed) {
    }
}
