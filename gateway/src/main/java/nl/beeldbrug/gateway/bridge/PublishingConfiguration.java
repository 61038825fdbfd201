package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.net.AssociationConfig;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.DicomServer;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicomweb.DicomWebClient;
import nl.beeldbrug.gateway.security.DicomAccessGate;
import nl.beeldbrug.gateway.security.DicomAssociationAudit;
import nl.beeldbrug.gateway.security.ListenerTls;
import nl.beeldbrug.registry.bridge.BridgeSource;
import nl.beeldbrug.registry.bridge.BridgeStore;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.bridge.HeaderIdentityResolver;
import org.springframework.beans.factory.annotation.Qualifier;
import nl.beeldbrug.registry.bridge.StudyPublisher;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PACS bridge publishing (issue 8 point 2): the connected archives of {@link BridgeProperties} are polled
 * (QIDO-RS or C-FIND) or push to Beeldbrug's C-STORE SCP; stable studies are registered in XDS-I.b.
 */
@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PublishingConfiguration.class);

    @Bean
    BridgeStore bridgeStore() {
        return new BridgeStore();
    }

    static BridgeSource source(BridgeProperties bridge, BridgeProperties.Source s) {
        return new BridgeSource(s.id(), s.ura(), s.name(), "zdc".equalsIgnoreCase(s.type()), s.identity().localDomain(),
                bridge.aeTitle(), null, s.detection().stableAfter());
    }

    @Bean
    @ConditionalOnProperty(name = "beeldbrug.bridge.publishing.enabled", havingValue = "true", matchIfMissing = true)
    BridgeScheduler bridgeScheduler(BridgeProperties bridge, PublishingProperties publishing, DataSource dataSource,
                                    BridgeStore store,
                                    @Qualifier("pixIdentityResolver") PatientIdentityResolver pix,
                                    @Qualifier("xrefIdentityResolver") PatientIdentityResolver xref,
                                    DocumentRepositoryService repository, PatientIndex patients, XdsStore xds, Clock clock) {
        Path spool = directory(publishing.spoolDir());
        DicomClient dicom = new DicomClient(AssociationConfig.of(bridge.aeTitle()).withStoreHandler(directory(spool.resolve("get")), i -> 0));
        Map<String, ArchiveConnector> archives = new LinkedHashMap<>();
        List<BridgeScheduler.Round> rounds = new ArrayList<>();
        for (BridgeProperties.Source s : bridge.sources()) {
            ArchiveConnector archive = switch (s.detection().mode()) {
                case QIDO -> new QidoArchive(DicomWebClient.of(s.dicomweb().baseUrl()), spool);
                case CFIND -> new CFindArchive(dicom, RemoteAe.of(s.dicom().aeTitle(), s.dicom().host(), s.dicom().port()));
                default -> null;
            };
            if (archive != null) {
                archives.put(s.id(), archive);
            }
            if (s.detection().mode() != BridgeProperties.Detection.Mode.NONE) {
                rounds.add(new BridgeScheduler.Round(source(bridge, s), archive, s.detection().interval()));
            }
        }
        HeaderIdentityResolver header = new HeaderIdentityResolver();
        PatientIdentityResolver identities = (sourceId, patient) -> switch (bridge.source(sourceId)
                .map(s -> s.identity().strategy()).orElse(BridgeProperties.Identity.Strategy.HEADER)) {
            case HEADER -> header.resolve(sourceId, patient);
            case PIX -> pix.resolve(sourceId, patient);
            case XREF -> xref.resolve(sourceId, patient);
        };
        StudyPublisher publisher = new StudyPublisher(dataSource, store, identities, new KosManifestEncoder(clock),
                new ArchiveReports(archives, spool.resolve("reports")), repository, patients, xds, clock);
        return new BridgeScheduler(rounds, new ArchivePoller(dataSource, store, clock, publishing.lookback()), publisher,
                publishing.batch());
    }

    /**
     * Beeldbrug's C-STORE SCP for pushed studies, when {@code beeldbrug.bridge.dicom-port} is set: DICOM TLS with
     * client certificates when the gateway's TLS is on, associations admitted and audited by {@link DicomAccessGate}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "beeldbrug.bridge.publishing.enabled", havingValue = "true", matchIfMissing = true)
    BridgeStoreScp bridgeStoreScp(BridgeProperties bridge, PublishingProperties publishing, DataSource dataSource,
                                         BridgeStore store, Clock clock, ListenerTls tls, DicomAccessGate gate,
                                         DicomAssociationAudit associationAudit) throws IOException {
        if (bridge.dicomPort() <= 0) {
            return new BridgeStoreScp(null);
        }
        Path spool = directory(publishing.spoolDir());
        PushReceiver receiver = new PushReceiver(dataSource, store, clock, callingAe -> bridge.sources().stream()
                .filter(s -> s.dicom() != null && callingAe != null && callingAe.trim().equals(s.dicom().aeTitle()))
                .map(BridgeProperties.Source::id).findFirst(), spool.resolve("reports"));
        DicomServer server = DicomServer.start(tls.secure(AssociationConfig.of(bridge.aeTitle())
                        .withStoreHandler(directory(spool.resolve("incoming")), receiver).withGate(gate.audited(associationAudit))),
                new InetSocketAddress(publishing.bindAddress(), bridge.dicomPort()), 20);
        LOG.info("bridge: C-STORE SCP {} on port {}{}", bridge.aeTitle(), server.port(), tls.enabled() ? " (TLS)" : "");
        return new BridgeStoreScp(server);
    }

    private static Path directory(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
