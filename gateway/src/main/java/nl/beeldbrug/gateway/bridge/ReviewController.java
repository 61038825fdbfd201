package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.BridgeStore;
import nl.beeldbrug.registry.db.Database;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.util.List;

/**
 * The bridge's review list, read-only: studies that were not registered because no valid BSN was found (or the
 * registry refused them), with the reason, for the archive's staff to fix at the source. Names the study, never
 * the patient. {@code GET /api/bridge/review[?source=id][&limit=n]}.
 */
@RestController
class ReviewController {

    private final DataSource dataSource;
    private final BridgeStore store;

    ReviewController(DataSource dataSource, BridgeStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    @GetMapping(path = "/api/bridge/review", produces = "application/json")
    List<BridgeStore.ReviewEntry> review(@RequestParam(name = "source", required = false) String source,
                                         @RequestParam(name = "limit", defaultValue = "1000") int limit) {
        int bounded = Math.max(1, Math.min(limit, 10_000));
        return Database.read(dataSource, c -> store.reviewList(c, source, bounded));
    }
}
