package nl.beeldbrug.registry.audit;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Group commit of the audit chain: concurrent appends share transactions, yet the chain stays one and whole. */
@ExtendWith(RegistryDatabaseExtension.class)
class AuditGroupCommitTest {

    @Test
    void concurrentAppendsMakeOneValidChainWithEveryRecordOnce(TestDatabase db) throws Exception {
        AuditStore store = new AuditStore(db.dataSource());
        int threads = 16;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.append(record("<m t=\"" + thread + "\" i=\"" + i + "\"/>"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> messages = store.latest(threads * perThread + 1).stream().map(AuditRecord::message).toList();
        assertThat(messages).hasSize(threads * perThread).doesNotHaveDuplicates();
        ChainVerification chain = store.verifyChain();
        assertThat(chain.intact()).isTrue();
        assertThat(chain.recordsChecked()).isEqualTo(threads * perThread);
        // each thread's records are in the order it appended them
        List<String> oldestFirst = new ArrayList<>(messages);
        java.util.Collections.reverse(oldestFirst);
        for (int t = 0; t < threads; t++) {
            String prefix = "<m t=\"" + t + "\"";
            assertThat(oldestFirst.stream().filter(m -> m.startsWith(prefix + " ")).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perThread)
                            .mapToObj(i -> prefix + " i=\"" + i + "\"/>").toList());
        }
    }

    @Test
    void aFailedBatchCommitFailsExactlyItsAppendsAndStoresNoneOfThem(TestDatabase db) throws Exception {
        CountDownLatch firstBatchMayProceed = new CountDownLatch(1);
        AtomicInteger connections = new AtomicInteger();
        // connection 1 (the first batch) waits until the others are queued; connection 2 (the second) fails its commit
        DataSource dataSource = dataSource(db.dataSource(), n -> {
            if (n == 1) {
                released(firstBatchMayProceed);
            }
            return n == 2;
        }, connections);
        AuditStore store = new AuditStore(dataSource);
        int waiting = 5;
        ExecutorService pool = Executors.newFixedThreadPool(waiting + 1);
        Set<Thread> waiters = ConcurrentHashMap.newKeySet();
        try {
            Future<?> first = pool.submit(() -> store.append(record("<first/>")));
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.get() == 1);
            List<Future<?>> second = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                String message = "<second i=\"" + i + "\"/>";
                second.add(pool.submit(() -> {
                    waiters.add(Thread.currentThread());
                    store.append(record(message));
                }));
            }
            // all five are queued behind the first batch (waiting for it to finish)
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.size() == waiting
                    && waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            firstBatchMayProceed.countDown();
            first.get();
            int failed = 0;
            for (Future<?> f : second) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).hasRootCauseMessage("commit refused (test)");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(waiting);
            assertThat(connections.get()).isEqualTo(2); // the five shared one batch
        } finally {
            pool.shutdownNow();
        }
        store.append(record("<after/>"));

        AuditStore plain = new AuditStore(db.dataSource());
        assertThat(plain.latest(10)).extracting(AuditRecord::message).containsExactly("<after/>", "<first/>");
        assertThat(plain.verify()).isTrue();
    }

    private static AuditRecord record(String message) {
        return new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), message);
    }

    private static void released(CountDownLatch latch) {
        try {
            if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    interface ConnectionHook {
        /** Called when connection {@code n} (from 1) is handed out; true makes its commit fail. */
        boolean failCommit(int n);
    }

    private static DataSource dataSource(DataSource real, ConnectionHook hook, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(AuditGroupCommitTest.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return invoke(method, real, args);
                    }
                    Connection connection = (Connection) invoke(method, real, args);
                    boolean failCommit = hook.failCommit(connections.incrementAndGet());
                    return Proxy.newProxyInstance(AuditGroupCommitTest.class.getClassLoader(),
                            new Class<?>[]{Connection.class}, (p, m, a) -> {
                                if (failCommit && m.getName().equals("commit")) {
                                    throw new SQLException("commit refused (test)");
                                }
                                return invoke(m, connection, a);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
