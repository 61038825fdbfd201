package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/** Cuts a data set into P-DATA-TF PDUs no larger than the peer's maximum; the final PDV is marked last. */
final class PDataOutputStream extends OutputStream {
    private final PduIO io;
    private final int pcid;
    private final byte[] buf;
    private int count;

    PDataOutputStream(PduIO io, int pcid, int peerMaxPdu) {
        this.io = io;
        this.pcid = pcid;
        int max = peerMaxPdu <= 0 ? 64 * 1024 : Math.min(peerMaxPdu, 1 << 20);
        this.buf = new byte[Math.max(max - 6, 64)];
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            io.writePdv(pcid, false, false, buf, 0, count);
            count = 0;
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buf.length) {
                io.writePdv(pcid, false, false, buf, 0, count);
                count = 0;
            }
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends the remaining bytes as the last fragment. */
    void finish() throws IOException {
        io.writePdv(pcid, false, true, buf, 0, count);
        count = 0;
        io.flush();
    }
}
