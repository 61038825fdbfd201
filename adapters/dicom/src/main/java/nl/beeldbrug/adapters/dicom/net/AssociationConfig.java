package nl.beeldbrug.adapters.dicom.net;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Settings of our side of an association.
 *
 * @param aeTitle          our AE title
 * @param maxPduLength     largest P-DATA-TF PDU we accept (announced in A-ASSOCIATE)
 * @param timeouts         connect, ARTIM, DIMSE and idle timeouts
 * @param tls              TLS context (mutual TLS when the server requires client certificates), or null
 * @param spoolDir         directory for received instances before the handler takes them
 * @param storeHandler     receives C-STORE (SCP, or C-GET sub-operations as SCU); null: storage not offered
 * @param queryHandler     answers C-FIND and locates instances for C-MOVE/C-GET; null: not offered
 * @param moveDestinations AE title to address, for C-MOVE
 * @param strictCalledAe   reject associations whose called AE title is not ours
 * @param maxInstanceBytes largest C-STORE data set received; a larger one is discarded with status 0xA700
 * @param callingAes       which calling AE titles may associate; null = any. Others are rejected with
 *                         "calling AE title not recognized" (PS3.8 9.3.4)
 * @param gate             accepts or rejects each association (SCP side) and follows the accepted ones
 */
public record AssociationConfig(String aeTitle, int maxPduLength, DicomTimeouts timeouts, SSLContext tls,
                                Path spoolDir, StoreHandler storeHandler, QueryHandler queryHandler,
                                Map<String, RemoteAe> moveDestinations, boolean strictCalledAe,
                                long maxInstanceBytes, Predicate<String> callingAes, AssociationGate gate) {

    public static final int DEFAULT_MAX_PDU = 256 * 1024;
    public static final long DEFAULT_MAX_INSTANCE_BYTES = 8L << 30;

    public static AssociationConfig of(String aeTitle) {
        return new AssociationConfig(aeTitle, DEFAULT_MAX_PDU, DicomTimeouts.DEFAULT, null,
                Path.of(System.getProperty("java.io.tmpdir")), null, null, Map.of(), false, DEFAULT_MAX_INSTANCE_BYTES, null,
                AssociationGate.OPEN);
    }

    public AssociationConfig withTls(SSLContext ctx) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, ctx, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withTimeouts(DicomTimeouts t) {
        return new AssociationConfig(aeTitle, maxPduLength, t, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withMaxPduLength(int max) {
        return new AssociationConfig(aeTitle, max, timeouts, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withStoreHandler(Path spool, StoreHandler handler) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spool, handler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withQueryHandler(QueryHandler handler) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, handler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withMoveDestinations(Map<String, RemoteAe> destinations) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, queryHandler,
                Map.copyOf(destinations), strictCalledAe, maxInstanceBytes, callingAes, gate);
    }

    public AssociationConfig withMaxInstanceBytes(long max) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, max, callingAes, gate);
    }

    public AssociationConfig withStrictCalledAe(boolean strict) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strict, maxInstanceBytes, callingAes, gate);
    }

    /** Only these calling AE titles may associate (null: any). */
    public AssociationConfig withCallingAes(Predicate<String> accepted) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, accepted, gate);
    }

    public AssociationConfig withGate(AssociationGate g) {
        return new AssociationConfig(aeTitle, maxPduLength, timeouts, tls, spoolDir, storeHandler, queryHandler,
                moveDestinations, strictCalledAe, maxInstanceBytes, callingAes, g == null ? AssociationGate.OPEN : g);
    }
}
