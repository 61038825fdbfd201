package nl.beeldbrug.adapters.dicom.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomReader;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.ParseLimits;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An established association (PS3.8) and its DIMSE message exchange (PS3.7). One reader thread receives PDUs;
 * requests from the peer are served (C-ECHO and C-STORE in the reader, C-FIND/MOVE/GET on a worker so that a
 * C-CANCEL can arrive), responses are routed to the waiting caller by message id. Nothing thrown while
 * reading escapes the reader: protocol errors become an A-ABORT with a reason, I/O errors close the socket.
 */
public final class Association implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Association.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Socket socket;
    private final PduIO io;
    private final AssociationConfig config;
    private final AssociateParams rq;
    private final AssociateParams ac;
    private final boolean requestor;
    private final String name;
    private final Object writeLock = new Object();
    private final Map<Integer, BlockingQueue<Object>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicBoolean> operations = new ConcurrentHashMap<>();
    private final AtomicInteger messageIds = new AtomicInteger(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile IOException closeCause;
    private ExecutorService worker;
    private ServiceProvider provider;
    private IncomingMessage incoming;
    private ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
    private int commandPcid = -1;
    private volatile AssociationGate.Admitted admitted = AssociationGate.Admitted.NOTHING;

    Association(Socket socket, PduIO io, AssociationConfig config, AssociateParams rq, AssociateParams ac,
                boolean requestor) {
        this.socket = socket;
        this.io = io;
        this.config = config;
        this.rq = rq;
        this.ac = ac;
        this.requestor = requestor;
        this.name = (requestor ? rq.callingAe + "->" + rq.calledAe : rq.callingAe + "<-" + rq.calledAe)
                + "#" + IDS.incrementAndGet();
    }

    // ---- public view -----------------------------------------------------------------------------

    public String callingAe() {
        return rq.callingAe;
    }

    public String calledAe() {
        return rq.calledAe;
    }

    public AssociationConfig config() {
        return config;
    }

    /** The peer's Implementation Class UID / version name. */
    public String peerImplementationClassUid() {
        return requestor ? ac.implementationClassUid : rq.implementationClassUid;
    }

    public String peerImplementationVersion() {
        return requestor ? ac.implementationVersion : rq.implementationVersion;
    }

    public int peerMaxPduLength() {
        return requestor ? ac.maxPduLength : rq.maxPduLength;
    }

    /** Accepted presentation contexts (abstract syntax filled in from the request). */
    public List<PresentationContext> acceptedContexts() {
        return ac.contexts.stream().filter(PresentationContext::accepted).map(this::withAbstractSyntax).toList();
    }

    public AssociateParams acceptParams() {
        return ac;
    }

    PresentationContext acceptedContext(int pcid) {
        PresentationContext pc = ac.context(pcid);
        return pc == null || !pc.accepted() ? null : withAbstractSyntax(pc);
    }

    private PresentationContext withAbstractSyntax(PresentationContext pc) {
        PresentationContext p = rq.context(pc.id());
        return new PresentationContext(pc.id(), p == null ? null : p.abstractSyntax(), pc.transferSyntaxes(),
                pc.result());
    }

    /** An accepted context for {@code abstractSyntax}, preferring one of {@code transferSyntaxes} in order. */
    public PresentationContext findContext(String abstractSyntax, List<String> transferSyntaxes) {
        List<PresentationContext> all = acceptedContexts().stream()
                .filter(pc -> pc.abstractSyntax().equals(abstractSyntax)).toList();
        for (String ts : transferSyntaxes) {
            for (PresentationContext pc : all) {
                if (pc.transferSyntax().equals(ts)) {
                    return pc;
                }
            }
        }
        return null;
    }

    /** The TCP (or TLS) socket, for tests of socket options. */
    Socket socket() {
        return socket;
    }

    public boolean isOpen() {
        return closed.getCount() > 0;
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    void start(boolean ownThread) {
        this.provider = new ServiceProvider(this);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dimse-" + name);
            t.setDaemon(true);
            return t;
        });
        if (ownThread) {
            Thread t = new Thread(this::readLoop, "dicom-rd-" + name);
            t.setDaemon(true);
            t.start();
        } else {
            readLoop();
        }
    }

    /** Orderly release (A-RELEASE-RQ), waiting up to the ARTIM timeout for A-RELEASE-RP, else abort. */
    public void release() throws IOException {
        if (!isOpen()) {
            return;
        }
        synchronized (writeLock) {
            io.write(PduIO.RELEASE_RQ, new byte[4]);
        }
        try {
            if (!closed.await(config.timeouts().artim().toMillis(), TimeUnit.MILLISECONDS)) {
                abort();
                throw new IOException("no A-RELEASE-RP within ARTIM timeout; aborted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new InterruptedIOException("interrupted during release");
        }
    }

    /** A-ABORT by the service user. */
    public void abort() {
        sendAbort(AbortException.SOURCE_USER, AbortException.REASON_NOT_SPECIFIED);
        shutdown(new AbortException(AbortException.SOURCE_USER, 0, "aborted locally"));
    }

    @Override
    public void close() {
        if (isOpen()) {
            try {
                release();
            } catch (IOException e) {
                LOG.debug("{}: release failed: {}", name, e.getMessage());
            }
        }
    }

    /** Blocks until the association ends (used by the server thread). */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void sendAbort(int source, int reason) {
        try {
            synchronized (writeLock) {
                io.write(PduIO.ABORT, new byte[] {0, 0, (byte) source, (byte) reason});
            }
        } catch (IOException e) {
            LOG.debug("{}: A-ABORT not sent: {}", name, e.getMessage());
        }
    }

    private void shutdown(IOException cause) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeCause = cause;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (AtomicBoolean op : operations.values()) {
            op.set(true);
        }
        for (BlockingQueue<Object> q : pending.values()) {
            q.offer(cause == null ? new IOException("association closed") : cause);
        }
        if (incoming != null && incoming.file() != null) {
            incoming.complete();
            deleteQuietly(incoming.file());
        }
        if (worker != null) {
            worker.shutdownNow();
        }
        closed.countDown();
        LOG.debug("{}: closed{}", name, cause == null ? "" : " (" + cause.getMessage() + ")");
    }

    // ---- reading ---------------------------------------------------------------------------------

    private void readLoop() {
        try {
            socket.setSoTimeout(config.timeouts().idleMillis());
            int maxPData = config.maxPduLength() + 64;
            while (!closing.get()) {
                PduIO.Pdu pdu = io.read(maxPData);
                switch (pdu.type()) {
                    case PduIO.P_DATA_TF -> onPData(pdu.body());
                    case PduIO.RELEASE_RQ -> {
                        synchronized (writeLock) {
                            io.write(PduIO.RELEASE_RP, new byte[4]);
                        }
                        shutdown(null);
                    }
                    case PduIO.RELEASE_RP -> shutdown(null);
                    case PduIO.ABORT -> shutdown(new AbortException(pdu.body()[2] & 0xFF, pdu.body()[3] & 0xFF,
                            "aborted by peer"));
                    default -> throw new AbortException(AbortException.SOURCE_PROVIDER,
                            AbortException.REASON_UNEXPECTED_PDU, "unexpected PDU type " + pdu.type());
                }
            }
        } catch (AbortException e) {
            LOG.warn("{}: protocol error, aborting: {}", name, e.getMessage());
            sendAbort(e.source(), e.reason());
            shutdown(e);
        } catch (SocketTimeoutException e) {
            LOG.warn("{}: idle timeout, aborting", name);
            sendAbort(AbortException.SOURCE_PROVIDER, AbortException.REASON_NOT_SPECIFIED);
            shutdown(e);
        } catch (IOException e) {
            shutdown(closing.get() ? null : e);
        } catch (RuntimeException e) {
            LOG.error("{}: internal error, aborting", name, e);
            sendAbort(AbortException.SOURCE_PROVIDER, AbortException.REASON_NOT_SPECIFIED);
            shutdown(new IOException(e));
        }
    }

    private void onPData(byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.hasRemaining()) {
            if (b.remaining() < 6) {
                throw invalid("truncated PDV");
            }
            int len = b.getInt();
            if (len < 2 || len > b.remaining()) {
                throw invalid("PDV length " + len + " out of bounds");
            }
            int pcid = b.get() & 0xFF;
            int header = b.get() & 0xFF;
            int off = b.position();
            int n = len - 2;
            b.position(off + n);
            if (acceptedContext(pcid) == null) {
                throw invalid("PDV on presentation context " + pcid + " that was not accepted");
            }
            boolean command = (header & 1) != 0;
            boolean last = (header & 2) != 0;
            if (command) {
                onCommandFragment(pcid, body, off, n, last);
            } else {
                onDataFragment(pcid, body, off, n, last);
            }
        }
    }

    private void onCommandFragment(int pcid, byte[] b, int off, int n, boolean last) throws IOException {
        if (incoming != null || (commandPcid != -1 && commandPcid != pcid)) {
            throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_UNEXPECTED_PARAMETER,
                    "command fragment while a data set is expected");
        }
        commandPcid = pcid;
        if (commandBytes.size() + n > 64 * 1024) {
            throw invalid("command set larger than 64 KiB");
        }
        commandBytes.write(b, off, n);
        if (!last) {
            return;
        }
        Attributes command;
        try {
            command = new DicomReader(new ByteArrayInputStream(commandBytes.toByteArray()),
                    TransferSyntax.IMPLICIT_VR_LE, ParseLimits.QUERY).readDataset();
        } catch (IOException e) {
            throw invalid("malformed command set: " + e.getMessage());
        }
        commandBytes = new ByteArrayOutputStream();
        commandPcid = -1;
        if (Dimse.commandField(command) < 0) {
            throw invalid("command set without Command Field");
        }
        IncomingMessage msg = new IncomingMessage(pcid, command, acceptedContext(pcid).transferSyntax());
        if (!Dimse.hasDataSet(command)) {
            dispatch(msg);
            return;
        }
        if (Dimse.commandField(command) == Dimse.C_STORE_RQ && config.storeHandler() != null) {
            msg.toFile(config.spoolDir(), requestor ? rq.calledAe : rq.callingAe, config.maxInstanceBytes());
        } else {
            msg.toMemory();
        }
        incoming = msg;
    }

    private void onDataFragment(int pcid, byte[] b, int off, int n, boolean last) throws IOException {
        if (incoming == null || incoming.pcid != pcid) {
            throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_UNEXPECTED_PARAMETER,
                    "data fragment without a command on context " + pcid);
        }
        incoming.append(b, off, n);
        if (last) {
            IncomingMessage msg = incoming;
            incoming = null;
            msg.complete();
            dispatch(msg);
        }
    }

    private void dispatch(IncomingMessage msg) throws IOException {
        int field = Dimse.commandField(msg.command);
        if ((field & Dimse.RSP) != 0) {
            int id = msg.command.getInt(Tag.MessageIDBeingRespondedTo, -1);
            BlockingQueue<Object> q = pending.get(id);
            if (q == null) {
                LOG.warn("{}: response to unknown message id {} ignored", name, id);
                return;
            }
            Attributes data = null;
            if (msg.failure() == null) {
                try {
                    data = msg.dataset();
                } catch (IOException e) {
                    LOG.warn("{}: malformed data set in response: {}", name, e.getMessage());
                }
            }
            q.offer(new DimseResponse(msg.command, data));
            return;
        }
        provider.onRequest(msg);
    }

    private static AbortException invalid(String msg) {
        return new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_INVALID_PARAMETER, msg);
    }

    // ---- writing ---------------------------------------------------------------------------------

    /** Writes one DIMSE message (command and optional data set) without interleaving with other messages. */
    void send(int pcid, Attributes command, DataWriter data) throws IOException {
        byte[] cmd = Dimse.encode(command);
        synchronized (writeLock) {
            if (!isOpen()) {
                throw closeCause != null ? closeCause : new IOException("association closed");
            }
            int max = Math.max(peerMaxPduLength() <= 0 ? cmd.length + 6 : peerMaxPduLength() - 6, 64);
            for (int off = 0; off < cmd.length; off += max) {
                int n = Math.min(max, cmd.length - off);
                io.writePdv(pcid, true, off + n >= cmd.length, cmd, off, n);
            }
            if (data != null) {
                PDataOutputStream out = new PDataOutputStream(io, pcid, peerMaxPduLength());
                try {
                    data.writeTo(out, TransferSyntax.of(acceptedContext(pcid).transferSyntax()));
                } catch (IOException | RuntimeException e) {
                    // half a message is on the wire: the association cannot continue (PS3.8 has no undo)
                    LOG.warn("{}: data set could not be sent, aborting: {}", name, e.toString());
                    sendAbort(AbortException.SOURCE_USER, AbortException.REASON_NOT_SPECIFIED);
                    shutdown(e instanceof IOException io2 ? io2 : new IOException(e));
                    throw e;
                }
                out.finish();
            }
            io.flush();
        }
    }

    /** Called by {@link ResponseStream} when the last response of a request has arrived. */
    void completed(int messageId) {
        pending.remove(messageId);
    }

    int nextMessageId() {
        return messageIds.getAndUpdate(i -> i >= 0xFFFF ? 1 : i + 1);
    }

    /** Sends a request and returns a handle to receive its response(s). */
    ResponseStream invoke(int pcid, Attributes command, DataWriter data) throws IOException {
        int id = command.getInt(Tag.MessageID, 0);
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        pending.put(id, q);
        try {
            send(pcid, command, data);
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        return new ResponseStream(this, id, pcid, q);
    }

    // ---- used by ServiceProvider -----------------------------------------------------------------

    /** Operations queued or running per association; more are refused (no asynchronous window was negotiated). */
    static final int MAX_QUEUED_OPERATIONS = 8;

    /** Queues a C-FIND/MOVE/GET; false when too many are outstanding or the id is already in use. */
    boolean runOperation(int messageId, java.util.function.Consumer<AtomicBoolean> op) {
        AtomicBoolean cancelled = new AtomicBoolean();
        if (operations.size() >= MAX_QUEUED_OPERATIONS || operations.putIfAbsent(messageId, cancelled) != null) {
            return false;
        }
        worker.execute(() -> {
            try {
                op.accept(cancelled);
            } finally {
                operations.remove(messageId);
            }
        });
        return true;
    }

    void cancel(int messageId) {
        AtomicBoolean c = operations.get(messageId);
        if (c != null) {
            c.set(true);
        }
    }

    String name() {
        return name;
    }

    void admitted(AssociationGate.Admitted a) {
        this.admitted = a;
    }

    AssociationGate.Admitted admitted() {
        return admitted;
    }

    String peerAe() {
        return requestor ? rq.calledAe : rq.callingAe;
    }

    static void deleteQuietly(java.nio.file.Path p) {
        try {
            if (p != null) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
