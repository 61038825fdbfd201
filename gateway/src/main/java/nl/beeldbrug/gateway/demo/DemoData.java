package nl.beeldbrug.gateway.demo;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.registry.demo.DemoDataLoader;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.ZonedDateTime;

/** Loads the synthetic demo data set before the gateway reports ready (beeldbrug.demo.enabled). */
@Component
@Order(0)
public class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final BeeldbrugProperties properties;
    private final DemoDataLoader loader;
    private final Clock clock;

    public DemoData(BeeldbrugProperties properties, DataSource dataSource, PatientIndex patients,
                    DocumentRegistryService registry, DocumentRepositoryService repository, XdsStore store, Clock clock) {
        this.properties = properties;
        this.loader = new DemoDataLoader(dataSource, patients, registry, repository, store);
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        BeeldbrugProperties.Demo demo = properties.demo();
        if (!demo.enabled()) {
            return;
        }
        long started = System.nanoTime();
        DemoDataLoader.Loaded loaded = loader.load(demo.studies(), demo.seed(), ZonedDateTime.now(clock));
        if (loaded.alreadyPresent()) {
            log.info("Demo data already present ({} patients)", loaded.patients());
        } else {
            log.info("Demo data loaded: {} patients, {} studies in {} ms", loaded.patients(), loaded.studiesAdded(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
