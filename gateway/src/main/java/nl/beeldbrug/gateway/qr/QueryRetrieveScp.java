package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.adapters.dicom.net.DicomServer;

import java.io.IOException;

/** Beeldbrug's DICOM Q/R SCP; {@code server} is null when no port is configured. */
public record QueryRetrieveScp(DicomServer server) implements AutoCloseable {

    /** The port listened on, or 0. */
    public int port() {
        return server == null ? 0 : server.port();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
