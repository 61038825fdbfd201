package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import org.openehealth.ipf.commons.ihe.hl7v2.PIX;

/**
 * IPF's ITI-8 and ITI-9 transactions keep HAPI contexts of their own (not the Spring one), whose ACK/NAK control
 * ids come by default from a counter file {@code id_file} in the working directory. They get UUIDs instead.
 */
public final class PixTransactions {

    private PixTransactions() {
    }

    public static void useUuidControlIds() {
        UUIDGenerator uuids = new UUIDGenerator();
        PIX.FeedInteractions.ITI_8_PIX.getHl7v2TransactionConfiguration().getHapiContext()
                .getParserConfiguration().setIdGenerator(uuids);
        PIX.QueryInteractions.ITI_9.getHl7v2TransactionConfiguration().getHapiContext()
                .getParserConfiguration().setIdGenerator(uuids);
    }
}
