package nl.beeldbrug.adapters.dicom.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads and writes raw PDUs (PS3.8 9.3): type, reserved byte, 32-bit length, body; lengths are bounded. */
final class PduIO {
    static final int ASSOCIATE_RQ = 1;
    static final int ASSOCIATE_AC = 2;
    static final int ASSOCIATE_RJ = 3;
    static final int P_DATA_TF = 4;
    static final int RELEASE_RQ = 5;
    static final int RELEASE_RP = 6;
    static final int ABORT = 7;
    /** Largest association negotiation PDU accepted. */
    static final int MAX_ASSOCIATE_PDU = 64 * 1024;

    record Pdu(int type, byte[] body) {
    }

    private final DataInputStream in;
    private final OutputStream out;

    PduIO(InputStream in, OutputStream out) {
        this.in = new DataInputStream(in);
        this.out = out;
    }

    /** Reads one PDU; {@code maxPData} bounds P-DATA-TF bodies. */
    Pdu read(int maxPData) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by peer");
        }
        in.readUnsignedByte();
        long len = in.readInt() & 0xFFFFFFFFL;
        if (type < ASSOCIATE_RQ || type > ABORT) {
            throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_UNRECOGNIZED_PDU,
                    "unrecognized PDU type 0x" + Integer.toHexString(type));
        }
        long max = switch (type) {
            case P_DATA_TF -> maxPData;
            case ASSOCIATE_RQ, ASSOCIATE_AC -> MAX_ASSOCIATE_PDU;
            default -> 4;
        };
        if (len > max || (type != P_DATA_TF && type != ASSOCIATE_RQ && type != ASSOCIATE_AC && len != 4)) {
            throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_INVALID_PARAMETER,
                    "PDU type " + type + " with invalid length " + len);
        }
        byte[] body = in.readNBytes((int) len);
        if (body.length != len) {
            throw new EOFException("PDU truncated");
        }
        return new Pdu(type, body);
    }

    void write(int type, byte[] body) throws IOException {
        writeHeader(type, body.length);
        out.write(body);
        out.flush();
    }

    void writeHeader(int type, int length) throws IOException {
        out.write(type);
        out.write(0);
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
    }

    /** Writes one P-DATA-TF PDU with a single PDV. */
    void writePdv(int pcid, boolean command, boolean last, byte[] data, int off, int len) throws IOException {
        writeHeader(P_DATA_TF, len + 6);
        int pdvLen = len + 2;
        out.write(pdvLen >>> 24);
        out.write(pdvLen >>> 16);
        out.write(pdvLen >>> 8);
        out.write(pdvLen);
        out.write(pcid);
        out.write((command ? 1 : 0) | (last ? 2 : 0));
        out.write(data, off, len);
    }

    void flush() throws IOException {
        out.flush();
    }
}
