package nl.beeldbrug.bench;

import nl.beeldbrug.bench.consent.ConsentCostCommand;
import nl.beeldbrug.bench.consent.ConsentLoadCommand;
import nl.beeldbrug.bench.db.QueryCommand;
import nl.beeldbrug.bench.db.ServeDatabaseCommand;
import nl.beeldbrug.bench.fhir.ImagingStudyLoadCommand;
import nl.beeldbrug.bench.iti18.FindDocumentsLoadCommand;
import nl.beeldbrug.bench.load.BulkLoadCommand;
import nl.beeldbrug.bench.peer.PeerLoadCommand;
import nl.beeldbrug.bench.peer.PeerPostCommand;
import nl.beeldbrug.bench.peer.PeerSizeCommand;
import nl.beeldbrug.bench.priors.OrderSignLoadCommand;
import nl.beeldbrug.bench.priors.PriorCheckLoadCommand;
import nl.beeldbrug.bench.report.PlotCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar beeldbrug-bench.jar load|consents|iti18|fhir|prior-check|consent-cost|database|register|ingest-check ...}: the benchmark tools (see bench/run-iti18.sh, bench/run-fhir.sh). */
@Command(name = "beeldbrug-bench", mixinStandardHelpOptions = true,
        subcommands = {BulkLoadCommand.class, FindDocumentsLoadCommand.class,
                ImagingStudyLoadCommand.class, nl.beeldbrug.bench.generate.GenerateCommand.class, ConsentLoadCommand.class, PriorCheckLoadCommand.class, OrderSignLoadCommand.class, ConsentCostCommand.class,
                ServeDatabaseCommand.class, QueryCommand.class, PlotCommand.class, nl.beeldbrug.bench.ingest.RegisterCommand.class,
                nl.beeldbrug.bench.ingest.IngestCheckCommand.class, PeerLoadCommand.class, PeerPostCommand.class, PeerSizeCommand.class},
        description = "Beeldbrug benchmarks: bulk corpus loader, ITI-18 and FHIR ImagingStudy load generators.")
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
