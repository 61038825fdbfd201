package nl.beeldbrug.registry.ai;

import java.util.Objects;

/**
 * Why a study was left out of a cohort: a reason code of the {@link ValidationGate} and a detail for the platform and
 * the operator. The detail never carries patient data (no BSN, name, birth date, identifiers of the patient).
 */
public record Exclusion(String code, String detail) {

    public Exclusion {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }
}
