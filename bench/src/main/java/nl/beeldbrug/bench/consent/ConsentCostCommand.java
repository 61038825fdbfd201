package nl.beeldbrug.bench.consent;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.iti18.FindDocumentsLoadCommand;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import nl.beeldbrug.bench.openmodel.ProcessCpu;
import nl.beeldbrug.bench.openmodel.Report;
import nl.beeldbrug.bench.priors.PriorCheckLoadCommand;
import nl.beeldbrug.registry.patient.Bsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code consent-cost}: the cost of consent + audit, measured on two gateways that run at the same time on the same
 * database, one guarded (as shipped), one with the benchmark-only profile {@code bench-unguarded}. Short fixed-rate
 * phases alternate between them (guarded first in even rounds, unguarded first in odd ones), the two phases of a
 * round with the same random patient sequence, so that both modes see the same background load and the same
 * patients; per path and rate it reports both modes aggregated over the rounds, their ratio, and the spread between
 * rounds ({@link CostReport}). Only one gateway is loaded at a time; the other idles.
 */
@Command(name = "consent-cost", mixinStandardHelpOptions = true,
        description = "Guarded vs unguarded gateway, interleaved short open-model phases (ITI-18 FindDocuments, $prior-check).")
public final class ConsentCostCommand implements Callable<Integer> {

    @Option(names = "--guarded", required = true, description = "Base URL of the guarded gateway, e.g. http://127.0.0.1:8080")
    String guarded;

    @Option(names = "--unguarded", required = true, description = "Base URL of the gateway with profile bench-unguarded.")
    String unguarded;

    @Option(names = "--guarded-pid", description = "Process id of the guarded gateway (for its CPU time).")
    Long guardedPid;

    @Option(names = "--unguarded-pid", description = "Process id of the unguarded gateway.")
    Long unguardedPid;

    @Option(names = "--db-pid", description = "Process id of the PostgreSQL postmaster (its CPU time, backends included).")
    Long dbPid;

    @Option(names = "--patients", defaultValue = "20000", description = "Patients of the loaded corpus (as `load --patients`).")
    int patients;

    @Option(names = "--paths", split = ",", defaultValue = "iti18,prior-check", description = "iti18 and/or prior-check.")
    List<String> paths;

    @Option(names = "--rates", split = ",", defaultValue = "25,50", description = "Requests per second, several rounds each.")
    List<Integer> rates;

    @Option(names = "--rounds", defaultValue = "6", description = "Pairs of phases (guarded + unguarded) per path and rate.")
    int rounds;

    @Option(names = "--phase-seconds", defaultValue = "10")
    int phaseSeconds;

    @Option(names = "--warmup-rate", defaultValue = "25")
    int warmupRate;

    @Option(names = "--warmup-seconds", defaultValue = "20", description = "Length of one warm-up phase.")
    int warmupSeconds;

    @Option(names = "--warmup-rounds", defaultValue = "3", description = "Warm-up pairs per path, before anything is measured.")
    int warmupRounds;

    @Option(names = "--pause-millis", defaultValue = "1000", description = "Idle time before each phase.")
    int pauseMillis;

    @Option(names = "--grace-seconds", defaultValue = "10", description = "Sending stops this long after a phase's planned end.")
    int graceSeconds;

    @Option(names = "--max-in-flight", defaultValue = "256")
    int maxInFlight;

    @Option(names = "--timeout-seconds", defaultValue = "30")
    int timeoutSeconds;

    @Option(names = "--code", defaultValue = "http://loinc.org|24627-2", description = "Planned exam of the prior check.")
    String code;

    @Option(names = "--seed", defaultValue = "6", description = "Seed of the patient sequences (one per round).")
    long seed;

    @Option(names = "--markdown", description = "Write the result tables (Markdown) to this file.")
    Path markdown;

    /** One of the two gateways. */
    record Gateway(String mode, String base, ProcessCpu cpu) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
        Gateway g = new Gateway(CostReport.GUARDED, guarded, new ProcessCpu(guardedPid));
        Gateway u = new Gateway(CostReport.UNGUARDED, unguarded, new ProcessCpu(unguardedPid));
        ProcessCpu db = new ProcessCpu(dbPid);
        HttpClient client = LoadOptions.httpClient();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);

        for (String path : paths) {
            for (int w = 0; w < warmupRounds; w++) {
                for (Gateway gw : order(w, g, u)) {
                    OpenLoop.Result r = phase(client, gw, path, bsns, warmupRate, warmupSeconds, seed - 1 - w, timeout);
                    System.out.println("warm-up " + path + " " + gw.mode() + ": " + Report.line(r, items(path)));
                }
            }
        }
        List<CostReport.Phase> phases = new ArrayList<>();
        for (String path : paths) {
            for (int rate : rates) {
                for (int round = 0; round < rounds; round++) {
                    long roundSeed = seed * 1_000_003L + (long) path.hashCode() * 7919 + rate * 31L + round;
                    List<Gateway> order = order(round, g, u);
                    for (int position = 0; position < 2; position++) {
                        Gateway gw = order.get(position);
                        double load = loadAverage();
                        double cpu0 = gw.cpu().seconds();
                        double db0 = db.seconds();
                        OpenLoop.Result r = phase(client, gw, path, bsns, rate, phaseSeconds, roundSeed, timeout);
                        CostReport.Phase p = new CostReport.Phase(path, rate, round, gw.mode(), position, load, r,
                                gw.cpu().seconds() - cpu0, db.seconds() - db0);
                        phases.add(p);
                        System.out.printf(Locale.ROOT, "%s round %d %s (load %.2f, gateway CPU %.2f ms/req, PostgreSQL %.2f ms/req): %s%n",
                                path, round + 1, gw.mode(), load, p.gatewayCpuMsPerRequest(), p.dbCpuMsPerRequest(),
                                Report.line(r, items(path)));
                    }
                }
            }
        }
        CostReport report = new CostReport(phases, this::items);
        String tables = report.markdown();
        System.out.println();
        System.out.print(tables);
        if (markdown != null) {
            Files.writeString(markdown, tables, StandardCharsets.UTF_8);
        }
        return report.anyModeWithoutSuccess() ? 1 : 0;
    }

    /** Guarded first in even rounds, unguarded first in odd ones. */
    private static List<Gateway> order(int round, Gateway g, Gateway u) {
        return round % 2 == 0 ? List.of(g, u) : List.of(u, g);
    }

    private OpenLoop.Result phase(HttpClient client, Gateway gw, String path, List<String> bsns, int rate, int seconds,
                                  long phaseSeed, Duration timeout) throws InterruptedException {
        Thread.sleep(pauseMillis);
        OpenLoop.Workload workload = switch (path) {
            case "iti18" -> FindDocumentsLoadCommand.workload(URI.create(gw.base() + "/services/registry/iti18"), bsns, timeout);
            case "prior-check" -> PriorCheckLoadCommand.workload(gw.base() + "/fhir", bsns, code, timeout);
            default -> throw new IllegalArgumentException("unknown path " + path + " (iti18, prior-check)");
        };
        return new OpenLoop(client, phaseSeed, maxInFlight, timeout)
                .run(rate, Duration.ofSeconds(seconds), Duration.ofSeconds(graceSeconds), workload);
    }

    String items(String path) {
        return path.equals("iti18") ? "entries" : "studies";
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
