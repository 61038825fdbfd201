package nl.beeldbrug.adapters.dicom.net;

/**
 * Decides whether an association is accepted, after the A-ASSOCIATE-RQ passed the protocol checks: a
 * {@link RejectException} is answered with A-ASSOCIATE-RJ (e.g. {@link RejectException#USER_CALLING_AE_NOT_RECOGNIZED}).
 * The {@link Admitted} returned follows the accepted association (the instances it stored, its end), e.g. for
 * one audit record per association.
 */
@FunctionalInterface
public interface AssociationGate {

    /** Accepts every association and follows none. */
    AssociationGate OPEN = request -> Admitted.NOTHING;

    Admitted admit(AssociationRequest request) throws RejectException;

    /** An accepted association; called on the association's threads, must not throw. */
    interface Admitted {

        Admitted NOTHING = new Admitted() {
        };

        /** A C-STORE the store handler answered with {@code status}. */
        default void stored(ReceivedInstance instance, int status) {
        }

        /** The association ended (released, aborted or broken). */
        default void ended() {
        }
    }
}
