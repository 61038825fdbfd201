package nl.beeldbrug.bench.openmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time (user + system) of a local process and its descendants, e.g. a gateway JVM, or a PostgreSQL postmaster
 * with its backends. CPU per request is far less sensitive to what else runs on the machine than latency. On Linux
 * the process' own time includes that of its children that have already exited ({@code /proc/<pid>/stat} cutime,
 * cstime), so a backend that ends during a phase does not take its time with it.
 */
public final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

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
        double own = withReapedChildren(pid);
        if (Double.isNaN(own)) {
            own = cpu(process.get()) / 1e9;
        }
        return own + process.get().descendants().mapToLong(ProcessCpu::cpu).sum() / 1e9;
    }

    /** utime + stime + cutime + cstime from /proc, NaN where there is none. */
    private static double withReapedChildren(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": f[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
