package nl.beeldbrug.adapters.dicom.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import nl.beeldbrug.adapters.dicom.dict.ElementDictionary;

/**
 * Decodes a data set from a stream (PS3.5 section 7). Input is treated as hostile: every length is checked
 * against {@link ParseLimits}, nesting is bounded, and a truncated or malformed stream yields
 * {@link DicomParseException}. Values above the bulk data threshold are referenced in the source file or
 * spooled to a temporary file, so large pixel data never has to fit in memory.
 */
public final class DicomReader {
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private InputStream in;
    private long pos;
    private boolean explicit;
    private boolean bigEndian;
    private ParseLimits limits;
    private final ElementDictionary dict = ElementDictionary.standard();
    private Path sourceFile;
    private Path spoolDir;
    private boolean deleteSpoolOnExit = true;
    private int elementCount;
    private final byte[] hdr = new byte[8];

    public DicomReader(InputStream in, TransferSyntax ts, ParseLimits limits) {
        this.in = in.markSupported() ? in : new BufferedInputStream(in, 64 * 1024);
        this.limits = limits;
        setTransferSyntax(ts);
    }

    /** Bulk data is referenced in {@code file}; stream position 0 must be the file's offset 0. */
    public DicomReader referenceBulkDataIn(Path file) {
        this.sourceFile = file;
        return this;
    }

    /** Bulk data is copied to temporary files in {@code dir} (each also deleted at JVM exit). */
    public DicomReader spoolBulkDataTo(Path dir) {
        return spoolBulkDataTo(dir, true);
    }

    /**
     * Bulk data is copied to temporary files in {@code dir}; with {@code deleteOnExit} false the caller deletes
     * them itself (a long-running process would otherwise keep every spool file's name until the JVM exits).
     */
    public DicomReader spoolBulkDataTo(Path dir, boolean deleteOnExit) {
        this.spoolDir = dir;
        this.deleteSpoolOnExit = deleteOnExit;
        return this;
    }

    public long position() {
        return pos;
    }

    /** Replaces the limits (e.g. stricter ones once the transfer syntax is known). */
    public DicomReader limits(ParseLimits newLimits) {
        this.limits = newLimits;
        return this;
    }

    /** Declares that the stream's current byte is at {@code position} of the source (e.g. after a preamble). */
    public void startAt(long position) {
        this.pos = position;
    }

    /** Switches the encoding, e.g. after the file meta information. */
    public void switchTransferSyntax(TransferSyntax ts) {
        setTransferSyntax(ts);
    }

    private void setTransferSyntax(TransferSyntax ts) {
        this.explicit = ts.explicitVr();
        this.bigEndian = ts.bigEndian();
        if (ts.deflated()) {
            this.in = new BufferedInputStream(new InflaterInputStream(in, new Inflater(true), 16 * 1024), 64 * 1024);
            this.sourceFile = null;
        }
    }

    /** Reads the elements of group 0002 (explicit VR LE), stopping before the first other group. */
    public Attributes readFileMeta() throws IOException {
        Attributes meta = new Attributes();
        boolean e = explicit;
        boolean b = bigEndian;
        explicit = true;
        bigEndian = false;
        while (true) {
            in.mark(2);
            int lo = in.read();
            int hi = in.read();
            in.reset();
            if (lo < 0 || hi < 0 || (lo | hi << 8) != 0x0002) {
                break;
            }
            readElement(meta, 0);
        }
        explicit = e;
        bigEndian = b;
        return meta;
    }

    /** Reads elements until the end of the stream. */
    public Attributes readDataset() throws IOException {
        Attributes ds = new Attributes();
        readDataset(ds);
        return ds;
    }

    public void readDataset(Attributes into) throws IOException {
        while (true) {
            in.mark(1);
            if (in.read() < 0) {
                return;
            }
            in.reset();
            int tag = readElement(into, 0);
            if (tag == ITEM_DELIMITATION || tag == SEQUENCE_DELIMITATION || tag == ITEM) {
                continue; // stray delimiter at top level: tolerated, nothing stored
            }
        }
    }

    /** Reads one element into {@code into}; returns its tag (item/delimiter tags are not stored). */
    private int readElement(Attributes into, int depth) throws IOException {
        int tag = readTag();
        if ((tag >>> 16) == 0xFFFE) {
            long len = readU32();
            if (tag == ITEM && len != UNDEFINED) {
                skip(len);
            }
            return tag;
        }
        VR vr;
        long len;
        if (explicit) {
            readFully(hdr, 0, 2);
            int code = (hdr[0] & 0xFF) << 8 | (hdr[1] & 0xFF);
            vr = VR.ofCode(code);
            if (vr == null) {
                throw new DicomParseException("invalid VR 0x" + Integer.toHexString(code) + " in " + Element.tagString(tag));
            }
            if (vr.hasLongLength()) {
                readFully(hdr, 0, 2);
                len = readU32();
            } else {
                len = readU16();
            }
        } else {
            vr = dict.vrOf(tag);
            len = readU32();
        }
        if (++elementCount > limits.maxElements()) {
            throw new DicomParseException("too many elements");
        }
        if (len == UNDEFINED) {
            if (vr == VR.SQ || vr == VR.UN) {
                Sequence seq = into.newSequence(tag);
                boolean implicitItems = vr == VR.UN && explicit;
                readSequence(seq, UNDEFINED, depth + 1, implicitItems);
            } else if (vr == VR.OB || vr == VR.OW) {
                into.put(tag, VR.OB, readFragments(depth + 1));
            } else {
                throw new DicomParseException("undefined length for " + vr + " in " + Element.tagString(tag));
            }
        } else if (vr == VR.SQ) {
            Sequence seq = into.newSequence(tag);
            readSequence(seq, len, depth + 1, false);
        } else {
            into.put(tag, vr, readValue(len, vr));
        }
        return tag;
    }

    private void readSequence(Sequence seq, long len, int depth, boolean implicitItems) throws IOException {
        if (depth > limits.maxDepth()) {
            throw new DicomParseException("sequence nesting deeper than " + limits.maxDepth());
        }
        boolean e = explicit;
        boolean b = bigEndian;
        if (implicitItems) {
            explicit = false;
            bigEndian = false;
        }
        long end = len == UNDEFINED ? Long.MAX_VALUE : pos + len;
        while (pos < end) {
            int tag = readTag();
            long itemLen = readU32();
            if (tag == SEQUENCE_DELIMITATION && len == UNDEFINED) {
                break;
            }
            if (tag != ITEM) {
                throw new DicomParseException("expected item in sequence, got " + Element.tagString(tag));
            }
            Attributes item = seq.addItem();
            if (itemLen == UNDEFINED) {
                while (true) {
                    int t = readElement(item, depth);
                    if (t == ITEM_DELIMITATION) {
                        break;
                    }
                    if (t == SEQUENCE_DELIMITATION) {
                        throw new DicomParseException("sequence delimiter inside item");
                    }
                }
            } else {
                long itemEnd = pos + itemLen;
                if (itemEnd > end) {
                    throw new DicomParseException("item longer than its sequence");
                }
                while (pos < itemEnd) {
                    int t = readElement(item, depth);
                    if (t == ITEM_DELIMITATION || t == SEQUENCE_DELIMITATION || t == ITEM) {
                        throw new DicomParseException("delimiter inside defined-length item");
                    }
                }
                if (pos != itemEnd) {
                    throw new DicomParseException("item length mismatch");
                }
            }
        }
        if (len != UNDEFINED && pos != end) {
            throw new DicomParseException("sequence length mismatch");
        }
        explicit = e;
        bigEndian = b;
    }

    private Fragments readFragments(int depth) throws IOException {
        if (depth > limits.maxDepth()) {
            throw new DicomParseException("nesting too deep");
        }
        Fragments f = new Fragments();
        while (true) {
            int tag = readTag();
            long len = readU32();
            if (tag == SEQUENCE_DELIMITATION) {
                return f;
            }
            if (tag != ITEM || len == UNDEFINED) {
                throw new DicomParseException("malformed encapsulated pixel data at " + Element.tagString(tag));
            }
            if (++elementCount > limits.maxElements()) {
                throw new DicomParseException("too many fragments");
            }
            Object v = readValue(len, VR.OB);
            if (v instanceof BulkData bd) {
                f.add(bd);
            } else {
                f.add(v == null ? new byte[0] : (byte[]) v);
            }
        }
    }

    private Object readValue(long len, VR vr) throws IOException {
        if (len == 0) {
            return null;
        }
        int swap = bigEndian && vr.swapSize() > 1 ? vr.swapSize() : 0;
        boolean bulk = limits.allowBulkData() && (sourceFile != null || spoolDir != null)
                && (len >= limits.bulkDataThreshold() || len > limits.maxInMemoryValue());
        if (bulk) {
            return readBulk(len, swap);
        }
        if (len > limits.maxInMemoryValue()) {
            throw new DicomParseException("value of " + len + " bytes exceeds limit " + limits.maxInMemoryValue());
        }
        checkTotal(len);
        byte[] b = in.readNBytes((int) len); // grows as data arrives: a false length cannot force a big allocation
        if (b.length != len) {
            throw new DicomParseException("value truncated");
        }
        pos += len;
        if (swap > 0) {
            ByteSwap.swap(b, 0, b.length, swap);
        }
        return b;
    }

    private BulkData readBulk(long len, int swap) throws IOException {
        checkTotal(len);
        if (sourceFile != null) {
            BulkData bd = new BulkData(sourceFile, pos, len, swap);
            skip(len);
            return bd;
        }
        Path tmp = Files.createTempFile(spoolDir, "bulk", ".bin");
        if (deleteSpoolOnExit) {
            tmp.toFile().deleteOnExit();
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            long left = len;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new DicomParseException("bulk value truncated");
                }
                out.write(buf, 0, n);
                left -= n;
                pos += n;
            }
        }
        return new BulkData(tmp, 0, len, swap);
    }

    private void checkTotal(long len) throws DicomParseException {
        if (pos + len > limits.maxTotalBytes()) {
            throw new DicomParseException("data set larger than " + limits.maxTotalBytes() + " bytes");
        }
    }

    private void skip(long len) throws IOException {
        checkTotal(len);
        try {
            in.skipNBytes(len);
        } catch (EOFException ex) {
            throw new DicomParseException("value truncated");
        }
        pos += len;
    }

    private int readTag() throws IOException {
        readFully(hdr, 0, 4);
        return bigEndian
                ? (hdr[0] & 0xFF) << 24 | (hdr[1] & 0xFF) << 16 | (hdr[2] & 0xFF) << 8 | (hdr[3] & 0xFF)
                : (hdr[1] & 0xFF) << 24 | (hdr[0] & 0xFF) << 16 | (hdr[3] & 0xFF) << 8 | (hdr[2] & 0xFF);
    }

    private long readU32() throws IOException {
        readFully(hdr, 0, 4);
        long v = bigEndian
                ? (hdr[0] & 0xFFL) << 24 | (hdr[1] & 0xFF) << 16 | (hdr[2] & 0xFF) << 8 | (hdr[3] & 0xFF)
                : (hdr[3] & 0xFFL) << 24 | (hdr[2] & 0xFF) << 16 | (hdr[1] & 0xFF) << 8 | (hdr[0] & 0xFF);
        return v;
    }

    private int readU16() throws IOException {
        readFully(hdr, 0, 2);
        return bigEndian ? (hdr[0] & 0xFF) << 8 | (hdr[1] & 0xFF) : (hdr[1] & 0xFF) << 8 | (hdr[0] & 0xFF);
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n != len) {
            throw new DicomParseException("unexpected end of data at byte " + (pos + n));
        }
        pos += len;
    }
}
