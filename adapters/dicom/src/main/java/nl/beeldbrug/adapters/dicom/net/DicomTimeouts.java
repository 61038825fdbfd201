package nl.beeldbrug.adapters.dicom.net;

import java.time.Duration;

/**
 * Timeouts: TCP connect, ARTIM (waiting for A-ASSOCIATE-RQ/AC/RJ and A-RELEASE-RP, PS3.8 9.1.5), DIMSE
 * (waiting for a response), and idle (no PDU at all on an open association).
 */
public record DicomTimeouts(Duration connect, Duration artim, Duration dimse, Duration idle) {
    public static final DicomTimeouts DEFAULT = new DicomTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(120));

    int artimMillis() {
        return (int) artim.toMillis();
    }

    int idleMillis() {
        return (int) idle.toMillis();
    }
}
