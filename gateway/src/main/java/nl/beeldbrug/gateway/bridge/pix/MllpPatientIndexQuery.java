package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import nl.beeldbrug.registry.bridge.LocalPatientId;
import nl.beeldbrug.registry.bridge.PatientIndexQuery;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * ITI-9 PIX Query over MLLP to one source's patient index, sent through IPF's {@code pix-iti9} producer (which
 * checks the message types and writes the ATNA record). Failures become {@link PatientIndexQuery.Failed} with the
 * reason; nothing is thrown. Logs name no patient identifier.
 */
public final class MllpPatientIndexQuery implements PatientIndexQuery {

    private static final Logger log = LoggerFactory.getLogger(MllpPatientIndexQuery.class);

    private final ProducerTemplate producer;
    private final String endpointUri;
    private final String sourceId;
    private final Duration timeout;
    private final PixQueryMessages.Parties parties;
    private final Clock clock;

    public MllpPatientIndexQuery(ProducerTemplate producer, String sourceId, String host, int port, Duration timeout,
                                 String ownApplication, Clock clock) {
        this.producer = producer;
        this.sourceId = sourceId;
        this.timeout = timeout;
        this.clock = clock;
        this.endpointUri = "pix-iti9://" + host + ":" + port + "?timeout=" + timeout.toMillis();
        this.parties = new PixQueryMessages.Parties(ownApplication, ownApplication, "PIX", sourceId);
    }

    @Override
    public Answer bsnOf(LocalPatientId patient) {
        String controlId = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String request = PixQueryMessages.query(patient, parties, controlId, clock.instant());
        Answer answer;
        try {
            Message response = producer.requestBody(endpointUri, request, Message.class);
            answer = response == null ? new Failed("no answer") : PixQueryMessages.answer(response);
        } catch (HL7Exception e) {
            answer = new Failed("unreadable answer");
        } catch (RuntimeException e) {
            answer = new Failed(reason(e));
        }
        log.info("ITI-9 PIX Query to source {} ({}): {}", sourceId, controlId, answer.getClass().getSimpleName()
                + (answer instanceof Failed f ? " (" + f.detail() + ")" : ""));
        return answer;
    }

    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.timeout.ReadTimeoutException
                    || t instanceof org.apache.camel.ExchangeTimedOutException) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (t instanceof ConnectException || t.getClass().getSimpleName().contains("ConnectException")) {
                return "cannot connect to the patient index";
            }
            if (t instanceof HL7Exception) {
                return "unacceptable answer (" + t.getClass().getSimpleName() + ")";
            }
        }
        return e.getClass().getSimpleName();
    }
}
