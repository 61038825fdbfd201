package nl.beeldbrug.registry.consent.store;

/** A consent with the same id exists already (FHIR: 409 Conflict at the edge). */
public class ConsentConflictException extends RuntimeException {
    public ConsentConflictException(String message) {
        super(message);
    }
}
