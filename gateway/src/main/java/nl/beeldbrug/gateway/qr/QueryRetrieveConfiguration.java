package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.adapters.dicom.net.AssociationConfig;
import nl.beeldbrug.adapters.dicom.net.DicomServer;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.bridge.RetrieveAudit;
import nl.beeldbrug.gateway.bridge.ServeProperties;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.security.DicomAccessGate;
import nl.beeldbrug.gateway.security.DicomAssociationAudit;
import nl.beeldbrug.gateway.security.ListenerTls;
import nl.beeldbrug.gateway.security.RequesterProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Beeldbrug's DICOM Q/R SCP, when {@code beeldbrug.dicom.qr.port} is set; DICOM TLS with client certificates when the
 * gateway's TLS is on, a calling AE whose certificate names another URA than configured is rejected ({@link DicomAccessGate}).
 */
@Configuration(proxyBeanMethods = false)
public class QueryRetrieveConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRetrieveConfiguration.class);

    @Bean(destroyMethod = "close")
    QueryRetrieveScp queryRetrieveScp(QueryRetrieveProperties qr, CallingAeProperties peers, BridgeProperties bridge,
                                      ServeProperties serve, ImagingStudyIndex index, ReleaseGuard guard,
                                      StudyLocator locator, Archives archives, Requesters requesters,
                                      RequesterProperties open, AuditContext auditContext, RetrieveAudit retrieveAudit,
                                      ListenerTls tls, DicomAccessGate gate,
                                      DicomAssociationAudit associationAudit)
            throws IOException {
        if (qr.port() <= 0) {
            return new QueryRetrieveScp(null);
        }
        String ae = qr.aeTitle().isBlank() ? bridge.aeTitle() : qr.aeTitle();
        Path spool = Files.createDirectories(serve.spoolDir().resolve("qr"));
        QueryRetrieveService service = new QueryRetrieveService(new QrRelease(index, guard, locator, archives),
                new QrRequesters(gate, requesters, open), new QueryRetrieveAudit(auditContext, retrieveAudit), ae,
                qr.maxMatches(), qr.maxRetrieveSize().toBytes(), spool);
        Map<String, RemoteAe> destinations = new LinkedHashMap<>();
        qr.moveDestinations().forEach(d -> destinations.put(d.aeTitle().trim(), RemoteAe.of(d.aeTitle().trim(), d.host(), d.port())));
        AssociationConfig config = tls.secure(AssociationConfig.of(ae))
                .withStoreHandler(Files.createDirectories(spool.resolve("incoming")), null)
                .withQueryHandler(service)
                .withMoveDestinations(destinations)
                .withGate(gate.auditingRejections(associationAudit.as(DicomAssociationAudit.QUERY_RETRIEVE)));
        DicomServer server = DicomServer.start(config, new InetSocketAddress(qr.bindAddress(), qr.port()),
                qr.maxAssociations());
        LOG.info("DICOM Q/R SCP {} on port {} ({} known calling AEs, strict {}, {} move destinations{})", ae, server.port(),
                peers.callingAes().size(), peers.strictCallingAe(), destinations.size(), tls.enabled() ? ", TLS" : "");
        return new QueryRetrieveScp(server);
    }
}
