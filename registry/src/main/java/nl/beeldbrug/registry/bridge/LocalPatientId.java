package nl.beeldbrug.registry.bridge;

import java.util.Objects;
import java.util.Optional;

/**
 * A patient id in an archive's own (local) domain. {@code toString()} names the domain only.
 *
 * @param domain the assigning authority's OID
 * @param id     the identifier within that domain
 */
public record LocalPatientId(String domain, String id) {

    public LocalPatientId {
        domain = AssigningAuthority.oid(domain);
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("a local patient id needs an assigning authority OID");
        }
        Objects.requireNonNull(id, "id");
        id = id.trim();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a local patient id must not be empty");
        }
    }

    /**
     * The study's patient id in {@code domain}: the Patient ID when its Issuer of Patient ID is that domain or
     * absent (an archive writes its own ids without issuer), otherwise an Other Patient IDs Sequence item with that
     * issuer.
     */
    public static Optional<LocalPatientId> of(DicomPatient patient, String domain) {
        String issuer = patient.issuerOfPatientId();
        if (notBlank(patient.patientId()) && (issuer == null || issuer.isBlank() || AssigningAuthority.same(issuer, domain))) {
            return Optional.of(new LocalPatientId(domain, patient.patientId()));
        }
        return patient.otherPatientIds().stream()
                .filter(o -> notBlank(o.patientId()) && AssigningAuthority.same(o.issuerOfPatientId(), domain))
                .findFirst()
                .map(o -> new LocalPatientId(domain, o.patientId()));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "LocalPatientId[domain=" + domain + "]";
    }
}
