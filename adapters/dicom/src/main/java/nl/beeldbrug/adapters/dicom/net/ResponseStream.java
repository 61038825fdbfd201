package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responses to one request, in order; the last one has a non-pending status. Waiting longer than the DIMSE
 * timeout aborts the association.
 */
final class ResponseStream {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseStream.class);
    private final Association as;
    private final int messageId;
    private final int pcid;
    private final BlockingQueue<Object> queue;

    ResponseStream(Association as, int messageId, int pcid, BlockingQueue<Object> queue) {
        this.as = as;
        this.messageId = messageId;
        this.pcid = pcid;
        this.queue = queue;
    }

    DimseResponse next() throws IOException {
        Object o;
        try {
            o = queue.poll(as.config().timeouts().dimse().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
        if (o == null) {
            LOG.warn("{}: no DIMSE response within {}, aborting", as.name(), as.config().timeouts().dimse());
            as.abort();
            throw new SocketTimeoutException("DIMSE timeout waiting for response to message " + messageId);
        }
        if (o instanceof IOException e) {
            throw e;
        }
        DimseResponse r = (DimseResponse) o;
        if (!r.pending()) {
            as.completed(messageId);
        }
        return r;
    }

    /** C-CANCEL-RQ for this request (PS3.7 9.3.2.3). */
    void cancel() throws IOException {
        Attributes c = new Attributes();
        c.setInt(Tag.CommandField, VR.US, Dimse.C_CANCEL_RQ);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageId);
        c.setInt(Tag.CommandDataSetType, VR.US, Dimse.NO_DATA_SET);
        as.send(pcid, c, null);
    }
}
