package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import nl.beeldbrug.registry.bridge.FeedRejectedException;
import nl.beeldbrug.registry.bridge.PatientIdentifier;
import nl.beeldbrug.registry.bridge.PatientIdentityFeed;
import nl.beeldbrug.registry.db.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * ITI-8 Patient Identity Feed (PIX Source → Beeldbrug): applies one ADT message to the cross-reference table
 * and answers its ACK. One INFO line per message, without identifiers.
 */
public final class PatientIdentityFeedHandler {

    private static final Logger log = LoggerFactory.getLogger(PatientIdentityFeedHandler.class);

    private final PatientIdentityFeed feed;

    public PatientIdentityFeedHandler(PatientIdentityFeed feed) {
        this.feed = feed;
    }

    public Message handle(Message adt) throws HL7Exception, IOException {
        String event = FeedMessages.event(adt);
        String controlId = FeedMessages.controlId(adt);
        List<PatientIdentifier> identifiers = FeedMessages.patientIdentifiers(adt);
        if (identifiers.stream().noneMatch(PatientIdentifier::hasId)) {
            log.info("ITI-8 {} ({}): refused, PID-3 empty", event, controlId);
            return FeedMessages.error(adt, AcknowledgmentCode.AE, "PID-3 has no patient identifier",
                    ErrorCode.REQUIRED_FIELD_MISSING, "PID", 3);
        }
        try {
            PatientIdentityFeed.Outcome outcome = "A40".equals(event)
                    ? feed.merge(identifiers, FeedMessages.priorIdentifiers(adt))
                    : feed.update(event, identifiers);
            log.info("ITI-8 {} ({}): {}", event, controlId, outcome.summary());
            return FeedMessages.accepted(adt, outcome.summary());
        } catch (FeedRejectedException e) {
            log.info("ITI-8 {} ({}): refused, {}", event, controlId, e.error());
            return FeedMessages.rejected(adt, e);
        } catch (DataAccessException e) {
            // the SQL error text may quote a local id: only its state reaches the log
            log.warn("ITI-8 {} ({}): the cross-reference could not be stored (SQL state {})", event, controlId,
                    e.getCause() instanceof java.sql.SQLException sql ? sql.getSQLState() : "?");
            return FeedMessages.error(adt, AcknowledgmentCode.AE, "the cross-reference could not be stored",
                    ErrorCode.APPLICATION_INTERNAL_ERROR, "MSH", 10);
        }
    }
}
