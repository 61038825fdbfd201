package nl.beeldbrug.gateway.qr;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.util.List;

/**
 * Beeldbrug's DICOM Query/Retrieve SCP (C-FIND, C-MOVE, C-GET), under {@code beeldbrug.dicom.qr.*}. Who may
 * associate, and as whom, is {@link CallingAeProperties}.
 *
 * @param port             the port listened on; 0 = no Q/R SCP
 * @param bindAddress      the address listened on
 * @param aeTitle          the SCP's AE title; empty = {@code beeldbrug.bridge.ae-title}
 * @param maxAssociations  associations served at once; one more is rejected (local limit exceeded)
 * @param maxMatches       C-FIND matches returned at most per request (newest first)
 * @param maxRetrieveSize  the largest retrieval spooled per C-MOVE/C-GET; a larger one is refused (0xA700)
 * @param moveDestinations the C-MOVE destinations: AE title → host and port
 */
@ConfigurationProperties("beeldbrug.dicom.qr")
public record QueryRetrieveProperties(@DefaultValue("0") int port,
                                      @DefaultValue("0.0.0.0") String bindAddress,
                                      @DefaultValue("") String aeTitle,
                                      @DefaultValue("10") int maxAssociations,
                                      @DefaultValue("500") int maxMatches,
                                      @DefaultValue("4GB") DataSize maxRetrieveSize,
                                      @DefaultValue List<Destination> moveDestinations) {

    /** A C-MOVE destination. */
    public record Destination(String aeTitle, String host, int port) {
    }
}
