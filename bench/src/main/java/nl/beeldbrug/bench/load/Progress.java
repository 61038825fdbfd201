package nl.beeldbrug.bench.load;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Prints count, rate and ETA every few seconds while a long job runs: on one updating line when the output is a
 * terminal ({@code tty}), else a line each time.
 */
public final class Progress implements AutoCloseable {

    private final Thread thread;
    private final boolean tty;
    private volatile boolean done;

    Progress(String unit, long total, java.util.function.LongSupplier count, Supplier<String> detail, Duration every) {
        this(unit, total, count, detail, every, false);
    }

    public Progress(String unit, long total, java.util.function.LongSupplier count, Supplier<String> detail, Duration every,
                    boolean tty) {
        this.tty = tty;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long n = count.getAsLong();
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = n / seconds;
                String eta = rate > 0 && n < total ? format(Duration.ofSeconds((long) ((total - n) / rate))) : "-";
                String line = String.format("  %,d / %,d %s (%.1f%%), %,.0f/s, elapsed %s, ETA %s  [%s]", n, total, unit,
                        100.0 * n / total, rate, format(Duration.ofSeconds((long) seconds)), eta, detail.get());
                if (tty) {
                    System.out.print("\r" + line + "\u001b[K");
                    System.out.flush();
                } else {
                    System.out.println(line);
                }
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tty) {
            System.out.println();
        }
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format("%.1fs", d.toMillis() / 1000.0);
        }
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
