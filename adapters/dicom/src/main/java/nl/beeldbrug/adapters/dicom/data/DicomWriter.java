package nl.beeldbrug.adapters.dicom.data;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes data sets in Implicit VR LE, Explicit VR LE, Deflated Explicit VR LE or (for encapsulated transfer
 * syntaxes) Explicit VR LE with the pixel data fragments passed through. Sequences and items are written with
 * undefined length by default, or with defined lengths on request.
 */
public final class DicomWriter {
    private final OutputStream out;
    private final boolean explicit;
    private final boolean definedLengths;
    private final byte[] hdr = new byte[12];

    private DicomWriter(OutputStream out, boolean explicit, boolean definedLengths) {
        this.out = out;
        this.explicit = explicit;
        this.definedLengths = definedLengths;
    }

    /** Writes {@code ds} to {@code out} in {@code ts} (deflating when the syntax says so; {@code out} stays open). */
    public static void write(Attributes ds, TransferSyntax ts, OutputStream out, boolean definedLengths)
            throws IOException {
        if (!ts.writable()) {
            throw new IOException("writing " + ts.uid() + " is not supported");
        }
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            DeflaterOutputStream dos = new DeflaterOutputStream(new NonClosing(out), deflater, 16 * 1024);
            new DicomWriter(dos, true, definedLengths).writeElements(ds);
            dos.finish();
            deflater.end();
        } else {
            new DicomWriter(out, ts.explicitVr(), definedLengths).writeElements(ds);
        }
    }

    public static void write(Attributes ds, TransferSyntax ts, OutputStream out) throws IOException {
        write(ds, ts, out, false);
    }

    /** Writes group 0002 with its group length, always explicit VR LE (PS3.10 7.1). */
    public static void writeFileMeta(Attributes meta, OutputStream out) throws IOException {
        Attributes m = new Attributes();
        m.addAll(meta);
        m.remove(0x00020000);
        long len = encodedLength(m, true);
        m.setInt(0x00020000, VR.UL, (int) len);
        new DicomWriter(out, true, true).writeElements(m);
    }

    /** Encoded length of a data set's elements (with defined-length sequences). */
    public static long encodedLength(Attributes ds, boolean explicit) {
        long n = 0;
        for (Element e : ds.elements()) {
            n += elementLength(e, explicit);
        }
        return n;
    }

    private static long elementLength(Element e, boolean explicit) {
        VR vr = effectiveVr(e, explicit);
        long header = !explicit ? 8 : vr.hasLongLength() ? 12 : 8;
        return header + valueLength(e, explicit);
    }

    private static long valueLength(Element e, boolean explicit) {
        Object v = e.value();
        if (v instanceof Sequence s) {
            long n = 0;
            for (Attributes item : s) {
                n += 8 + encodedLength(item, explicit);
            }
            return n;
        }
        if (v instanceof Fragments f) {
            long n = 8; // sequence delimiter
            for (Object frag : f.items()) {
                n += 8 + padded(Fragments.length(frag));
            }
            return n;
        }
        return padded(e.valueLength());
    }

    private static long padded(long len) {
        return len + (len & 1);
    }

    private static VR effectiveVr(Element e, boolean explicit) {
        VR vr = e.vr();
        if (vr == VR.NONE) {
            return VR.UN;
        }
        if (explicit && !vr.hasLongLength() && e.valueLength() > 0xFFFF) {
            return VR.UN; // too long for a 16-bit length field (PS3.5 6.2.2 note)
        }
        return vr;
    }

    private void writeElements(Attributes ds) throws IOException {
        for (Element e : ds.elements()) {
            writeElement(e);
        }
    }

    private void writeElement(Element e) throws IOException {
        VR vr = effectiveVr(e, explicit);
        Object v = e.value();
        if (v instanceof Sequence s) {
            long len = definedLengths ? valueLength(e, explicit) : 0xFFFFFFFFL;
            writeHeader(e.tag(), VR.SQ, len);
            for (Attributes item : s) {
                writeHeader(DicomReader.ITEM, VR.NONE, definedLengths ? encodedLength(item, explicit) : 0xFFFFFFFFL);
                writeElements(item);
                if (!definedLengths) {
                    writeHeader(DicomReader.ITEM_DELIMITATION, VR.NONE, 0);
                }
            }
            if (!definedLengths) {
                writeHeader(DicomReader.SEQUENCE_DELIMITATION, VR.NONE, 0);
            }
            return;
        }
        if (v instanceof Fragments f) {
            writeHeader(e.tag(), vr == VR.OW ? VR.OW : VR.OB, 0xFFFFFFFFL);
            for (Object frag : f.items()) {
                long len = Fragments.length(frag);
                writeHeader(DicomReader.ITEM, VR.NONE, padded(len));
                writeBytes(frag, len, (byte) 0);
            }
            writeHeader(DicomReader.SEQUENCE_DELIMITATION, VR.NONE, 0);
            return;
        }
        long len = e.valueLength();
        writeHeader(e.tag(), vr, padded(len));
        writeBytes(v, len, vr.padding());
    }

    private void writeBytes(Object v, long len, byte pad) throws IOException {
        if (v instanceof byte[] b) {
            out.write(b);
        } else if (v instanceof BulkData bd) {
            bd.copyTo(out);
        }
        if ((len & 1) != 0) {
            out.write(pad);
        }
    }

    private void writeHeader(int tag, VR vr, long len) throws IOException {
        hdr[0] = (byte) (tag >>> 16);
        hdr[1] = (byte) (tag >>> 24);
        hdr[2] = (byte) tag;
        hdr[3] = (byte) (tag >>> 8);
        if (vr == VR.NONE || !explicit) {
            putU32(4, len);
            out.write(hdr, 0, 8);
        } else if (vr.hasLongLength()) {
            hdr[4] = (byte) (vr.code() >>> 8);
            hdr[5] = (byte) vr.code();
            hdr[6] = 0;
            hdr[7] = 0;
            putU32(8, len);
            out.write(hdr, 0, 12);
        } else {
            hdr[4] = (byte) (vr.code() >>> 8);
            hdr[5] = (byte) vr.code();
            hdr[6] = (byte) len;
            hdr[7] = (byte) (len >>> 8);
            out.write(hdr, 0, 8);
        }
    }

    private void putU32(int off, long v) {
        hdr[off] = (byte) v;
        hdr[off + 1] = (byte) (v >>> 8);
        hdr[off + 2] = (byte) (v >>> 16);
        hdr[off + 3] = (byte) (v >>> 24);
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
