package nl.beeldbrug.bench.openmodel;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time (user + system) of a local process and its live descendants, e.g. a gateway JVM, or a PostgreSQL
 * postmaster with its backends. CPU per request is far less sensitive to what else runs on the machine than latency.
 */
public final class ProcessCpu {

    private final Long pid;

    /** @param pid the process, or null: {@link #seconds()} is then NaN */
    public ProcessCpu(Long pid) {
        this.pid = pid;
    }

    /** CPU seconds so far, NaN when unknown (no pid, process gone). */
    public double seconds() {
        if (pid == null) {
            return Double.NaN;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return Double.NaN;
        }
        long nanos = cpu(process.get());
        nanos += process.get().descendants().mapToLong(ProcessCpu::cpu).sum();
        return nanos / 1e9;
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
