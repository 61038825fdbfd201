package nl.beeldbrug.registry.xds;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;

/** A read-only {@link jakarta.activation.DataSource} over bytes held in memory. */
public final class BytesDataSource implements jakarta.activation.DataSource {

    private final byte[] bytes;
    private final String contentType;

    public BytesDataSource(byte[] bytes, String contentType) {
        this.bytes = bytes;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
    }

    @Override
    public InputStream getInputStream() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public OutputStream getOutputStream() {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getName() {
        return "document";
    }
}
