package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.bridge.pix.FeedMessages;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * An HL7 v2 order (ORM^O01, OMI^O23) from the MLLP listener → {@link PrefetchService} → its ACK: AA with what was
 * queued; AE/AR with an ERR segment for an order that cannot be taken (nothing stored). The sending facility (MSH-4-1)
 * names the hospital ({@code beeldbrug.priors.prefetch.facilities}), which is the requester (purpose TREAT) and whose
 * PACS receives the priors. One INFO line per order, without patient identifiers.
 */
public final class OrderListener {

    private static final Logger LOG = LoggerFactory.getLogger(OrderListener.class);

    private final PrefetchService service;
    private final Map<String, String> facilities;
    private final BridgeProperties bridge;
    private final Requesters requesters;
    private final PrefetchAudit audit;
    private final PrefetchMetrics metrics;
    private final Clock clock;

    public OrderListener(PrefetchService service, Map<String, String> facilities, BridgeProperties bridge, Requesters requesters,
                         PrefetchAudit audit, PrefetchMetrics metrics, Clock clock) {
        this.service = service;
        this.facilities = Map.copyOf(facilities);
        this.bridge = bridge;
        this.requesters = requesters;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Message handle(Message message) throws HL7Exception, IOException {
        metrics.received();
        String controlId = FeedMessages.controlId(message);
        PrefetchOrder order;
        BridgeProperties.Source hospital;
        try {
            order = OrderMessages.read(message, clock.instant());
            String target = facilities.get(order.sendingFacility());
            Optional<BridgeProperties.Source> source = target == null ? Optional.empty() : bridge.source(target);
            if (source.isEmpty()) {
                throw new OrderRejectedException("MSH-4 names no hospital connected for prefetch", AcknowledgmentCode.AE,
                        ErrorCode.UNKNOWN_KEY_IDENTIFIER, "MSH", 4);
            }
            hospital = source.get();
        } catch (OrderRejectedException e) {
            metrics.rejected();
            LOG.info("prefetch order ({}): refused {}, {}", controlId, e.ack(), e.getMessage());
            return OrderMessages.rejected(message, e);
        }
        RequestContext requester = requesters.of(Ura.of(hospital.ura()), PurposeOfUse.TREAT, "prefetch");
        ReleaseLog log = new ReleaseLog();
        PrefetchService.Outcome outcome;
        try {
            outcome = service.prefetch(order, hospital, requester, log);
        } catch (RuntimeException e) {
            metrics.rejected();
            LOG.warn("prefetch order ({}) for {}: not processed: {}", controlId, hospital.id(), e.getClass().getSimpleName());
            return FeedMessages.error(message, AcknowledgmentCode.AE, "the order could not be processed; send it again",
                    ErrorCode.APPLICATION_INTERNAL_ERROR, "MSH", 10);
        }
        audit.order(order, order.sendingFacility(), outcome, requester, log);
        LOG.info("prefetch order ({}) for {}: {}", controlId, hospital.id(), outcome.summary());
        return OrderMessages.accepted(message, outcome.summary());
    }
}
