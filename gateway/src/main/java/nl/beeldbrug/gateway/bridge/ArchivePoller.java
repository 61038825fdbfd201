package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.ArchiveStudy;
import nl.beeldbrug.registry.bridge.BridgeStore;
import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One polling round for one archive: lists its studies from the persisted watermark (a Study Date, minus a
 * look-back), reads every study whose instance count differs from what the bridge knows, records it
 * ({@link BridgeStore#observe}), and moves the watermark to the date the round started.
 */
final class ArchivePoller {

    private final DataSource dataSource;
    private final BridgeStore store;
    private final Clock clock;
    private final Duration lookback;

    ArchivePoller(DataSource dataSource, BridgeStore store, Clock clock, Duration lookback) {
        this.dataSource = dataSource;
        this.store = store;
        this.clock = clock;
        this.lookback = lookback;
    }

    /** Returns how many studies changed. */
    int poll(String sourceId, ArchiveConnector archive) throws IOException {
        LocalDate today = LocalDate.now(clock.withZone(nl.beeldbrug.registry.bridge.XdsiSubmissionMapper.ARCHIVE_ZONE));
        String from = Database.read(dataSource, c -> store.watermark(c, sourceId))
                .map(w -> LocalDate.parse(w, DateTimeFormatter.BASIC_ISO_DATE).minusDays(Math.max(0, lookback.toDays()))
                        .format(DateTimeFormatter.BASIC_ISO_DATE))
                .orElse(null);
        int changed = 0;
        for (Map.Entry<String, Integer> study : archive.studies(from).entrySet()) {
            int known = Database.read(dataSource, c -> store.instanceCount(c, sourceId, study.getKey()));
            if (study.getValue() >= 0 && study.getValue() == known) {
                continue;
            }
            ArchiveStudy read = archive.read(study.getKey());
            if (read.instances().isEmpty()) {
                continue;
            }
            boolean updated = Database.inTransaction(dataSource, c -> store.observe(c, sourceId, read, true, clock.instant()));
            changed += updated ? 1 : 0;
        }
        Database.inTransaction(dataSource, c -> {
            store.setWatermark(c, sourceId, today.format(DateTimeFormatter.BASIC_ISO_DATE), clock.instant());
            return null;
        });
        return changed;
    }
}
