package nl.beeldbrug.registry.consent;

/**
 * Port to the national consent service (Mitz), the closed question: XACML 3.0 over mutual TLS.
 * Implemented by {@code adapters/mitz}. Implementations never throw for a failed question: a timeout, an
 * unreachable or untrusted service, or an unreadable answer is {@link NationalConsentAnswer#INDETERMINATE},
 * which the decision engine turns into a deny (fail closed).
 */
public interface NationalConsentService {

    NationalConsentAnswer ask(NationalConsentQuestion question);
}
