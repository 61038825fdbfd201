package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.net.ReceivedInstance;
import nl.beeldbrug.adapters.dicom.net.StoreHandler;
import nl.beeldbrug.registry.bridge.ArchiveInstance;
import nl.beeldbrug.registry.bridge.ArchiveStudy;
import nl.beeldbrug.registry.bridge.BridgeStore;
import nl.beeldbrug.registry.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Beeldbrug's C-STORE SCP for studies pushed by connected archives: the calling AE title names the source; the
 * instance's header is recorded (the study, the instance, what a rejection note rejects) and the study waits
 * until it is stable. Report instances (SR, PDF) are kept as files under {@code reports/<source>/} until they are
 * registered; image files are not kept. An unknown calling AE is refused (0x0124, not authorised).
 */
final class PushReceiver implements StoreHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);
    static final int NOT_AUTHORISED = 0x0124;

    private final DataSource dataSource;
    private final BridgeStore store;
    private final Clock clock;
    private final Function<String, Optional<String>> sourceOfCallingAe;
    private final Path reports;

    PushReceiver(DataSource dataSource, BridgeStore store, Clock clock, Function<String, Optional<String>> sourceOfCallingAe,
                 Path reports) {
        this.dataSource = dataSource;
        this.store = store;
        this.clock = clock;
        this.sourceOfCallingAe = sourceOfCallingAe;
        this.reports = reports;
    }

    @Override
    public int store(ReceivedInstance received) throws Exception {
        Optional<String> source = sourceOfCallingAe.apply(received.callingAe());
        if (source.isEmpty()) {
            LOG.warn("bridge SCP: C-STORE from unknown calling AE {} refused", received.callingAe());
            return NOT_AUTHORISED;
        }
        Attributes ds = received.dataset();
        ArchiveInstance instance = DicomHeaders.instance(ds);
        Map<String, String> rejections = instance.isKeyObject() ? DicomHeaders.rejections(ds) : Map.of();
        if (instance.isReport()) {
            Path dir = reports.resolve(source.get());
            Files.createDirectories(dir);
            Files.move(received.file(), dir.resolve(instance.sopInstanceUid() + ".dcm"), StandardCopyOption.REPLACE_EXISTING);
        }
        ArchiveStudy study = DicomHeaders.study(ds, List.of(instance), rejections);
        Database.inTransaction(dataSource, c -> store.observe(c, source.get(), study, false, clock.instant()));
        return nl.beeldbrug.adapters.dicom.net.Dimse.SUCCESS;
    }
}
