package nl.beeldbrug.registry.bridge;

import java.util.List;
import java.util.Objects;

/**
 * ITI-9 PIX Query (Patient Identifier Cross-reference Consumer): asks a source's patient index (PIX Manager)
 * which identifiers in the BSN domain belong to a local patient id. Implemented over HL7 v2 / MLLP by the
 * gateway; the answer is taken as the index gives it (the elfproef is the caller's).
 */
public interface PatientIndexQuery {

    Answer bsnOf(LocalPatientId patient);

    /** What the patient index said. */
    sealed interface Answer {
    }

    /** The index knows the local id; {@code identifiers} are its ids in the BSN domain (possibly none). */
    record Known(List<String> identifiers) implements Answer {
        public Known {
            identifiers = List.copyOf(identifiers);
        }

        @Override
        public String toString() {
            return "Known[" + identifiers.size() + " identifier(s)]";
        }
    }

    /** The index does not know the local id (ITI-9: AE with error 204 on QPD-3). {@code detail} names no identifier. */
    record Unknown(String detail) implements Answer {
        public Unknown {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The index could not be asked or answered with an error (timeout, refused connection, AR/AE). */
    record Failed(String detail) implements Answer {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
