package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.registry.audit.AuditForwardCursor;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Store-and-forward of the audit trail to the ATNA audit repository. The durable, hash-chained rows of
 * {@link AuditStore} are the source of truth; this forwarder, on its own thread, reads the records after the
 * destination's cursor ({@link AuditForwardCursor}, in the database) in id order, sends them as one batch over
 * syslog TLS ({@link SyslogTlsConnection}, {@link SyslogFrames}) and moves the cursor only after the repository
 * confirmed the batch by closing the session after our {@code close_notify} (it has then read all of it). When the repository is unreachable or slow it retries the same batch with exponential back-off; the
 * request path only stores the record and {@link #wakeUp() wakes} the forwarder, so it is never blocked or
 * failed by forwarding.
 * <p>
 * Delivery is at-least-once: a crash between the confirmation and the cursor update, or a batch that the
 * repository read but did not confirm in time, is sent again; each record carries its id as RFC 5424
 * {@code meta sequenceId} so the repository can drop the copy. What the repository does after reading (a crash
 * before it persisted) is beyond any syslog sender's reach. One forwarder per destination: gateways sharing a
 * database must enable it on one node only.
 */
public final class AuditForwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditForwarder.class);

    /** What an operator sees at {@code /actuator/audittrail}. */
    public record Status(String destination, boolean running, long position, long forwarded, Instant lastSuccess,
                         String lastError, Instant lastErrorAt) {
    }

    private final AuditStore store;
    private final AuditForwardCursor cursor;
    private final BeeldbrugProperties.Repository settings;
    private final SSLContext tls;
    private final Clock clock;
    private final String hostname;
    private final String processId = Long.toString(ProcessHandle.current().pid());
    private final ScheduledExecutorService watchdog;
    private final Object signal = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private boolean pending;
    private volatile boolean running;
    private boolean closed;
    private volatile long position = -1;
    private volatile long forwarded;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private Thread thread;
    private volatile SyslogTlsConnection connection;

    public AuditForwarder(AuditStore store, AuditForwardCursor cursor, BeeldbrugProperties.Repository settings,
                          SSLContext tls, Clock clock) {
        this.store = store;
        this.cursor = cursor;
        this.settings = settings;
        this.tls = tls;
        this.clock = clock;
        this.hostname = localHostname();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-forwarder-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "audit-forwarder-" + settings.destination());
        thread.setDaemon(true);
        thread.start();
        log.info("Audit forwarding to {}:{} (syslog TLS) started", settings.host(), settings.port());
    }

    /** A record was stored: look now rather than at the next poll. Never blocks. */
    public void wakeUp() {
        synchronized (signal) {
            pending = true;
            signal.notifyAll();
        }
    }

    public Status status() {
        return new Status(settings.destination(), running, position, forwarded, lastSuccess, lastError, lastErrorAt);
    }

    private void run() {
        Duration backoff = settings.initialBackoff();
        while (running) {
            try {
                if (position < 0) {
                    position = cursor.position(settings.destination());
                }
                List<StoredAuditEvent> batch = store.after(position, settings.batchSize());
                if (batch.isEmpty()) {
                    awaitWork();
                    continue;
                }
                send(batch);
                long last = batch.get(batch.size() - 1).id();
                cursor.advance(settings.destination(), last);
                position = last;
                forwarded += batch.size();
                lastSuccess = clock.instant();
                backoff = settings.initialBackoff();
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                closeConnection();
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                lastErrorAt = clock.instant();
                log.warn("Audit forwarding to {}:{} failed ({}); retrying in {}", settings.host(), settings.port(), lastError, backoff);
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
            }
        }
        closeConnection();
    }

    /** One TLS session per batch: the receiver's closing of it confirms the batch ({@link SyslogTlsConnection#deliver}). */
    private void send(List<StoredAuditEvent> batch) throws java.io.IOException {
        List<byte[]> frames = new ArrayList<>(batch.size());
        for (StoredAuditEvent event : batch) {
            frames.add(SyslogFrames.frame(SyslogFrames.message(event, hostname, settings.appName(), processId)));
        }
        connection = SyslogTlsConnection.open(tls, settings.host(), settings.port(), settings.connectTimeout(), watchdog);
        try {
            connection.deliver(frames, settings.writeTimeout());
        } finally {
            closeConnection();
        }
    }

    private void awaitWork() throws InterruptedException {
        synchronized (signal) {
            if (!pending && running) {
                signal.wait(settings.pollInterval().toMillis());
            }
            pending = false;
        }
    }

    /** Back-off: only stopping cuts it short (new records must not turn an outage into a retry storm). */
    private void pause(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "-";
        }
    }

    /** Stops the thread (waits up to five seconds); records not yet forwarded stay behind the cursor for the next start. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            t = thread;
        }
        stopped.countDown();
        wakeUp();
        if (t != null) {
            try {
                t.join(5000);
                if (t.isAlive()) {
                    SyslogTlsConnection stuck = connection;
                    if (stuck != null) {
                        stuck.abort();
                    }
                    t.interrupt();
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watchdog.shutdownNow();
        log.info("Audit forwarding to {}:{} stopped at record {}", settings.host(), settings.port(), position);
    }
}
