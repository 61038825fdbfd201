package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.net.DicomServer;

import java.io.IOException;

/** Beeldbrug's C-STORE SCP for pushed studies; {@code server} is null when no DICOM port is configured. */
record BridgeStoreScp(DicomServer server) implements AutoCloseable {

    /** The port listened on, or 0. */
    int port() {
        return server == null ? 0 : server.port();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
