package nl.beeldbrug.bench.consent;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code consents}: gives a share of the corpus' patients an active Consent, so that the consent decision of the
 * benchmark does real work: half of them deny one of their studies (study-specific deny; patients with one study
 * deny it to an organisation that never asks instead), the other half deny an organisation that never asks (the
 * provisions are read and evaluated, nothing the benchmark asks for is withheld, so every answer stays non-empty).
 * Idempotent: a corpus whose first chosen patient has consents is left alone.
 */
@Command(name = "consents", mixinStandardHelpOptions = true,
        description = "Adds Consent records for a share of a loaded corpus' patients (through the registry's ConsentStore).")
public final class ConsentLoadCommand implements Callable<Integer> {

    static final Ura NEVER_ASKS = Ura.of("99999990");

    @Option(names = "--data-dir", required = true, description = "Embedded PostgreSQL data directory of the loaded corpus.")
    Path dataDir;

    @Option(names = "--studies", required = true, description = "As `load --studies`.")
    int studies;

    @Option(names = "--patients", description = "As `load --patients` (default: studies / 5).")
    Integer patients;

    @Option(names = "--seed", defaultValue = "20261129", description = "As `load --seed`.")
    long seed;

    @Option(names = "--now", defaultValue = "2026-11-01T00:00:00Z", description = "As `load --now`.")
    ZonedDateTime now;

    @Option(names = "--share", defaultValue = "0.2", description = "Share of patients with a consent (default: ${DEFAULT-VALUE}).")
    double share;

    @Override
    public Integer call() throws Exception {
        Corpus corpus = new Corpus(seed, studies, patients != null ? patients : Math.max(1, studies / 5), now);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.toAbsolutePath())) {
            ConsentStore store = new ConsentStore(db.dataSource(), Clock.systemUTC());
            SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
            int[] counts = {0, 0, 0};
            boolean[] first = {true};
            boolean[] skip = {false};
            Instant since = now.toInstant().minusSeconds(86_400 * 400L);
            corpus.forEach(p -> {
                if (skip[0] || random.nextDouble() >= share) {
                    return;
                }
                if (first[0]) {
                    first[0] = false;
                    if (!store.consentsOf(p.bsn()).isEmpty()) {
                        skip[0] = true;
                        return;
                    }
                }
                boolean studySpecific = random.nextBoolean() && p.studies().size() > 1;
                Provision.Builder deny = Provision.deny().purposes(PurposeOfUse.TREAT);
                if (studySpecific) {
                    String uid = p.studies().get(random.nextInt(p.studies().size())).manifest().getUniqueId();
                    deny.studies(uid.substring(0, uid.length() - 2));
                    counts[1]++;
                } else {
                    deny.organisation(NEVER_ASKS);
                    counts[2]++;
                }
                store.create(new ConsentRecord(ConsentStore.newId(), p.bsn(), ConsentStatus.ACTIVE, since,
                        List.of(Provision.permit().build(), deny.build())));
                counts[0]++;
            });
            if (skip[0]) {
                System.out.println("consents: already present, left alone");
            } else {
                System.out.printf("consents: %d patients (%d study-specific deny, %d deny of an organisation)%n",
                        counts[0], counts[1], counts[2]);
            }
        }
        return 0;
    }
}
