package nl.beeldbrug.registry.bridge;

import java.time.Duration;
import java.util.Objects;

/**
 * What the publisher needs of a connected archive (configuration {@code beeldbrug.bridge.sources[]}).
 *
 * @param id                 the source's short name
 * @param ura                the organisation's URA (author institution, submission set source)
 * @param name               the organisation's name
 * @param zdc                an independent diagnostic centre rather than a hospital (healthcareFacilityTypeCode)
 * @param localPatientDomain OID of the archive's own patient ids (sourcePatientId); null = Issuer of Patient ID
 * @param retrieveAeTitle    Retrieve AE Title written into the manifest (Beeldbrug's own AE: retrievals go through it)
 * @param retrieveLocationUid Retrieve Location UID of the manifest (the Imaging Document Source id for RAD-69)
 * @param stableAfter        a study counts as complete once it has not changed for this long
 */
public record BridgeSource(String id, String ura, String name, boolean zdc, String localPatientDomain,
                           String retrieveAeTitle, String retrieveLocationUid, Duration stableAfter) {

    /** Assigning authority of URA numbers. */
    public static final String URA_OID = "2.16.528.1.1007.3.3";

    public BridgeSource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ura, "ura");
        stableAfter = Objects.requireNonNullElse(stableAfter, Duration.ofSeconds(60));
        retrieveLocationUid = retrieveLocationUid != null ? retrieveLocationUid : defaultRetrieveLocationUid(ura);
    }

    /** {@code 2.16.528.1.1007.3.3.<ura>.1}: the default Imaging Document Source id of an archive. */
    public static String defaultRetrieveLocationUid(String ura) {
        return URA_OID + "." + ura + ".1";
    }
}
