package nl.beeldbrug.adapters.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The variable part of A-ASSOCIATE-RQ and -AC PDUs (PS3.8 9.3.2, 9.3.3; PS3.7 Annex D user information).
 * Decoding is bounded: every item length is checked against the enclosing length, UIDs are at most 64
 * bytes, and at most 128 presentation contexts are allowed.
 */
public final class AssociateParams {
    public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    private static final int MAX_CONTEXTS = 128;

    public String calledAe = "";
    public String callingAe = "";
    public String applicationContext = APPLICATION_CONTEXT;
    public final List<PresentationContext> contexts = new ArrayList<>();
    public final List<RoleSelection> roles = new ArrayList<>();
    public int maxPduLength;
    public String implementationClassUid = "";
    public String implementationVersion = "";
    public int protocolVersion = 1;

    public PresentationContext context(int id) {
        for (PresentationContext pc : contexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }

    public RoleSelection role(String sopClass) {
        for (RoleSelection r : roles) {
            if (r.sopClassUid().equals(sopClass)) {
                return r;
            }
        }
        return null;
    }

    /** Encodes the PDU body (without the 6-byte PDU header). */
    public byte[] encode(boolean request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.write(0);
        out.write(1);
        out.write(0);
        out.write(0);
        out.writeBytes(aeBytes(calledAe));
        out.writeBytes(aeBytes(callingAe));
        out.writeBytes(new byte[32]);
        item(out, 0x10, ascii(applicationContext));
        for (PresentationContext pc : contexts) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(pc.id());
            p.write(0);
            p.write(request ? 0 : pc.result());
            p.write(0);
            if (request) {
                item(p, 0x30, ascii(pc.abstractSyntax()));
                for (String ts : pc.transferSyntaxes()) {
                    item(p, 0x40, ascii(ts));
                }
            } else if (pc.transferSyntax() != null) {
                item(p, 0x40, ascii(pc.transferSyntax()));
            } else {
                item(p, 0x40, new byte[0]);
            }
            item(out, request ? 0x20 : 0x21, p.toByteArray());
        }
        ByteArrayOutputStream u = new ByteArrayOutputStream();
        item(u, 0x51, ByteBuffer.allocate(4).putInt(maxPduLength).array());
        item(u, 0x52, ascii(implementationClassUid));
        for (RoleSelection r : roles) {
            byte[] uid = ascii(r.sopClassUid());
            ByteBuffer b = ByteBuffer.allocate(4 + uid.length);
            b.putShort((short) uid.length).put(uid).put((byte) (r.scu() ? 1 : 0)).put((byte) (r.scp() ? 1 : 0));
            item(u, 0x54, b.array());
        }
        if (!implementationVersion.isEmpty()) {
            item(u, 0x55, ascii(implementationVersion));
        }
        item(out, 0x50, u.toByteArray());
        return out.toByteArray();
    }

    /** Decodes a PDU body; throws {@link AbortException} (invalid parameter) on malformed input. */
    public static AssociateParams decode(byte[] body, boolean request) throws AbortException {
        try {
            return decode0(ByteBuffer.wrap(body), request);
        } catch (RuntimeException e) {
            throw invalid("malformed A-ASSOCIATE PDU: " + e.getClass().getSimpleName());
        }
    }

    private static AssociateParams decode0(ByteBuffer b, boolean request) throws AbortException {
        AssociateParams p = new AssociateParams();
        if (b.remaining() < 68) {
            throw invalid("A-ASSOCIATE PDU too short");
        }
        p.protocolVersion = b.getShort() & 0xFFFF;
        b.getShort();
        p.calledAe = ae(b);
        p.callingAe = ae(b);
        b.position(b.position() + 32);
        boolean sawAppContext = false;
        while (b.hasRemaining()) {
            int type = b.get() & 0xFF;
            b.get();
            ByteBuffer item = slice(b, b.getShort() & 0xFFFF);
            switch (type) {
                case 0x10 -> {
                    p.applicationContext = uid(item, item.remaining());
                    sawAppContext = true;
                }
                case 0x20, 0x21 -> {
                    if (p.contexts.size() >= MAX_CONTEXTS) {
                        throw invalid("more than " + MAX_CONTEXTS + " presentation contexts");
                    }
                    p.contexts.add(context(item, type == 0x20));
                }
                case 0x50 -> userInfo(item, p);
                default -> throw new AbortException(AbortException.SOURCE_PROVIDER,
                        AbortException.REASON_UNRECOGNIZED_PARAMETER, "unknown item 0x" + Integer.toHexString(type));
            }
        }
        if (!sawAppContext) {
            throw invalid("no application context");
        }
        return p;
    }

    private static PresentationContext context(ByteBuffer b, boolean request) throws AbortException {
        int id = b.get() & 0xFF;
        b.get();
        int result = b.get() & 0xFF;
        b.get();
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (b.hasRemaining()) {
            int type = b.get() & 0xFF;
            b.get();
            int len = b.getShort() & 0xFFFF;
            ByteBuffer item = slice(b, len);
            if (type == 0x30) {
                abstractSyntax = uid(item, len);
            } else if (type == 0x40) {
                if (ts.size() >= 64) {
                    throw invalid("too many transfer syntaxes");
                }
                if (len > 0) {
                    ts.add(uid(item, len));
                }
            } else {
                throw invalid("unknown presentation context sub-item 0x" + Integer.toHexString(type));
            }
        }
        if (request && (abstractSyntax == null || ts.isEmpty())) {
            throw invalid("presentation context " + id + " lacks abstract or transfer syntax");
        }
        if ((id & 1) == 0) {
            throw invalid("even presentation context id " + id);
        }
        return new PresentationContext(id, abstractSyntax, List.copyOf(ts), request ? 0 : result);
    }

    private static void userInfo(ByteBuffer b, AssociateParams p) throws AbortException {
        while (b.hasRemaining()) {
            int type = b.get() & 0xFF;
            b.get();
            int len = b.getShort() & 0xFFFF;
            ByteBuffer item = slice(b, len);
            switch (type) {
                case 0x51 -> p.maxPduLength = item.getInt();
                case 0x52 -> p.implementationClassUid = uid(item, len);
                case 0x55 -> p.implementationVersion = new String(bytes(item, Math.min(len, 16)), StandardCharsets.US_ASCII).trim();
                case 0x54 -> {
                    int ulen = item.getShort() & 0xFFFF;
                    String uid = uid(item, ulen);
                    boolean scu = item.get() != 0;
                    boolean scp = item.get() != 0;
                    if (p.roles.size() < MAX_CONTEXTS) {
                        p.roles.add(new RoleSelection(uid, scu, scp));
                    }
                }
                default -> {
                    // asynchronous operations window, extended negotiation, user identity: not used, ignored
                }
            }
        }
    }

    private static ByteBuffer slice(ByteBuffer b, int len) throws AbortException {
        if (len > b.remaining()) {
            throw invalid("item length " + len + " exceeds the enclosing item");
        }
        ByteBuffer s = b.slice();
        s.limit(len);
        b.position(b.position() + len);
        return s;
    }

    private static String uid(ByteBuffer b, int len) throws AbortException {
        if (len > 64) {
            throw invalid("UID longer than 64 bytes");
        }
        String s = new String(bytes(b, len), StandardCharsets.US_ASCII);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static byte[] bytes(ByteBuffer b, int len) {
        byte[] v = new byte[len];
        b.get(v);
        return v;
    }

    private static String ae(ByteBuffer b) {
        return new String(bytes(b, 16), StandardCharsets.US_ASCII).trim();
    }

    private static byte[] aeBytes(String ae) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] s = ae.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 0, Math.min(16, s.length));
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static AbortException invalid(String msg) {
        return new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_INVALID_PARAMETER, msg);
    }
}
