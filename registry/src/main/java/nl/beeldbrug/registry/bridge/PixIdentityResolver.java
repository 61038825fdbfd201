package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.patient.Bsn;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code PIX} strategy for one source: the study's local patient id (in the source's {@code localDomain})
 * is looked up with an ITI-9 PIX Query to the source's patient index. Unknown id, no BSN, several BSNs or a
 * BSN failing the elfproef: unresolved with that reason; an index that cannot be asked: {@code UNAVAILABLE}.
 */
public final class PixIdentityResolver implements PatientIdentityResolver {

    private final String localDomain;
    private final PatientIndexQuery index;

    public PixIdentityResolver(String localDomain, PatientIndexQuery index) {
        this.localDomain = AssigningAuthority.oid(localDomain);
        if (this.localDomain.isEmpty()) {
            throw new IllegalArgumentException("the PIX strategy needs the source's identity.local-domain");
        }
        this.index = Objects.requireNonNull(index, "index");
    }

    @Override
    public IdentityResolution resolve(String sourceId, DicomPatient patient) {
        var local = LocalPatientId.of(patient, localDomain);
        if (local.isEmpty()) {
            return IdentityResolution.unresolved(Reason.NO_BSN, "no Patient ID of the local domain " + localDomain);
        }
        PatientIndexQuery.Answer answer = index.bsnOf(local.get());
        if (answer instanceof PatientIndexQuery.Unknown unknown) {
            return IdentityResolution.unresolved(Reason.NO_BSN,
                    "the patient index does not know the local patient id (" + unknown.detail() + ")");
        }
        if (answer instanceof PatientIndexQuery.Failed failed) {
            return IdentityResolution.unresolved(Reason.UNAVAILABLE, "the patient index could not be asked: " + failed.detail());
        }
        return fromIdentifiers(((PatientIndexQuery.Known) answer).identifiers());
    }

    private static IdentityResolution fromIdentifiers(Iterable<String> identifiers) {
        Set<String> distinct = new LinkedHashSet<>();
        identifiers.forEach(i -> {
            if (i != null && !i.isBlank()) {
                distinct.add(i.trim());
            }
        });
        if (distinct.isEmpty()) {
            return IdentityResolution.unresolved(Reason.NO_BSN, "the patient index knows the patient but has no BSN for it");
        }
        if (distinct.size() > 1) {
            return IdentityResolution.unresolved(Reason.AMBIGUOUS, "the patient index gave " + distinct.size() + " different BSNs");
        }
        return Bsn.parse(distinct.iterator().next())
                .map(IdentityResolution::found)
                .orElseGet(() -> IdentityResolution.unresolved(Reason.INVALID_BSN,
                        "the BSN from the patient index fails the elfproef"));
    }
}
