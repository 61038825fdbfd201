package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.ChainVerification;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.function.Supplier;

/**
 * {@code GET /actuator/audittrail} on the management port: walks the whole hash chain of the audit trail and
 * reports whether it is intact or the first record that was changed or removed (no record content, no patient
 * data), the newest record id, and the state of store-and-forward to the audit repository.
 */
@Endpoint(id = "audittrail")
public class AuditTrailEndpoint {

    /** The answer. {@code forwarding} is null when store-and-forward is off. */
    public record Report(ChainVerification chain, long latestEventId, AuditForwarder.Status forwarding) {
    }

    private final AuditStore store;
    private final Supplier<AuditForwarder> forwarder;

    public AuditTrailEndpoint(AuditStore store, Supplier<AuditForwarder> forwarder) {
        this.store = store;
        this.forwarder = forwarder;
    }

    @ReadOperation
    public Report report() {
        AuditForwarder f = forwarder.get();
        return new Report(store.verifyChain(), store.latestId(), f == null ? null : f.status());
    }
}
