package nl.beeldbrug.gateway.cds;

import nl.beeldbrug.gateway.priors.PriorCheck;
import nl.beeldbrug.registry.priors.ExamDescription;
import org.hl7.fhir.r4.model.ServiceRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** For the leak property test: the cards the CDS services make of a given prior check, and how they read an order. */
public final class CdsCardsOracle {

    public static final String SELECT = CdsHooksController.SELECT;
    public static final String SIGN = CdsHooksController.SIGN;

    private final CdsCards cards;

    public CdsCardsOracle(String fhirBase, String wadoBase, int cardPriors) {
        this.cards = new CdsCards(fhirBase, wadoBase, cardPriors);
    }

    public List<Map<String, Object>> cards(PriorCheck check, String draftOrderId) {
        return cards.cards(check, draftOrderId, uuid -> {
        });
    }

    public static ExamDescription plannedExam(ServiceRequest order) {
        return CdsOrders.plannedExam(order);
    }

    public static Instant plannedDate(ServiceRequest order) {
        return CdsOrders.plannedDate(order, Clock.systemUTC());
    }
}
