package nl.beeldbrug.bench.priors;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.generate.CorpusProperties;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import nl.beeldbrug.registry.patient.Bsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code order-sign}: open-model load of the CDS Hooks {@code order-sign} service ({@code POST
 * /cds-services/beeldbrug-prior-check-sign}) — the duplicate-exam check a referrer's order screen waits on — with one
 * draft order (a CT of the chest, DICOM modality + SNOMED body site, as an EHR sends it) for a random corpus patient,
 * the patient's BSN in the prefetched Patient. An answer counts when it is HTTP 200 with a {@code cards} array (a patient
 * without relevant priors gets none; the number of cards is reported per response).
 */
@Command(name = "order-sign", mixinStandardHelpOptions = true,
        description = "Fixed-rate CDS Hooks order-sign load (open model, latency from the intended start).")
public final class OrderSignLoadCommand implements Callable<Integer> {

    static final String SERVICE = "beeldbrug-prior-check-sign";

    @Option(names = "--base", required = true, description = "Gateway base (without /fhir), e.g. http://127.0.0.1:8080")
    String base;

    @Option(names = "--patients", defaultValue = "100000", description = "Patients of the loaded corpus (as `load --patients`).")
    int patients;

    @Option(names = "--modality", defaultValue = "CT")
    String modality;

    @Option(names = "--body-site", defaultValue = "51185008", description = "SNOMED CT body site of the order (default thorax).")
    String bodySite;

    @Option(names = "--corpus", description = "Draw from the national corpus `generate --out DIR` wrote (as prior-check --corpus):"
            + " a patient without a deny, the draft order = their latest study's modality and body site (cards are counted, not"
            + " required: whether a prior earns a card depends on its age and rank). Overrides --patients, --modality and --body-site.")
    Path corpusDir;

    @Option(names = "--pool", defaultValue = "20000", description = "With --corpus: distinct draft orders drawn.")
    int pool;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        OpenLoop.Workload workload;
        if (corpusDir != null) {
            NationalCorpus corpus = CorpusProperties.corpus(corpusDir);
            patients = corpus.patients();
            List<PriorCheckLoadCommand.PlannedOrder> orders = PriorCheckLoadCommand.draw(corpus, pool, load.seed);
            workload = workload(base, orders, load.timeout());
        } else {
            List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
            List<PriorCheckLoadCommand.PlannedOrder> orders = bsns.stream()
                    .map(b -> new PriorCheckLoadCommand.PlannedOrder(b, modality, bodySite, null, null)).toList();
            workload = workload(base, orders, load.timeout());
        }
        System.out.printf("CDS Hooks order-sign at %s, %,d patients, warm-up %d req/s for %d s%n", base, patients,
                load.warmupRate, load.warmupSeconds);
        List<LoadOptions.Series> series = List.of(new LoadOptions.Series("order-sign", workload, load.rates));
        List<List<OpenLoop.Result>> results = load.run(LoadOptions.httpClient(), series, "cards");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "cards", s -> null);
        return results.get(0).stream().anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    /**
     * One order-sign call per request for a random one of {@code orders}; an answer counts when it is HTTP 200 with a
     * {@code cards} array (the cards per answer are reported).
     */
    static OpenLoop.Workload workload(String base, List<PriorCheckLoadCommand.PlannedOrder> orders, Duration timeout) {
        URI uri = URI.create(base + "/cds-services/" + SERVICE);
        String occurrence = LocalDate.now().plusDays(7).toString();
        return random -> {
            PriorCheckLoadCommand.PlannedOrder order = orders.get(random.nextInt(orders.size()));
            String bsn = order.bsn();
            String modality = order.modality();
            String bodySite = order.bodySite();
            OpenLoop.Check check = response -> {
                if (response.statusCode() != 200) {
                    return OpenLoop.Outcome.error("http " + response.statusCode());
                }
                String body = response.body();
                if (!body.contains("\"cards\"")) {
                    return OpenLoop.Outcome.error("no cards array");
                }
                return OpenLoop.Outcome.ok(PriorCheckLoadCommand.count(body, "\"summary\""));
            };
            String body = """
                    {"hook":"order-sign","hookInstance":"%s","context":{"userId":"Practitioner/1","patientId":"ehr-1",\
                    "draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"ServiceRequest",\
                    "id":"order0","status":"draft","intent":"order","subject":{"reference":"Patient/ehr-1"},\
                    "code":{"coding":[{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"%s"}]},\
                    "bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}],"occurrenceDateTime":"%s"}}]}},\
                    "prefetch":{"patient":{"resourceType":"Patient","identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":"%s"}]}}}"""
                    .formatted(new UUID(random.nextLong(), random.nextLong()), modality, bodySite, occurrence, bsn);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return new OpenLoop.Request(request, check);
        };
    }
}
