package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code HEADER} strategy: the BSN is the Patient ID when Issuer of Patient ID is the BSN OID, or the
 * Patient ID of an Other Patient IDs Sequence item whose issuer is the BSN OID. The issuer may be written as
 * the bare OID or as {@code urn:oid:…} / {@code &OID&ISO} (HL7 v2 universal id). Two different BSNs: ambiguous.
 */
public final class HeaderIdentityResolver implements PatientIdentityResolver {

    @Override
    public IdentityResolution resolve(String sourceId, DicomPatient patient) {
        Set<String> candidates = new LinkedHashSet<>();
        if (isBsnIssuer(patient.issuerOfPatientId()) && notBlank(patient.patientId())) {
            candidates.add(patient.patientId().trim());
        }
        for (DicomPatient.OtherPatientId other : patient.otherPatientIds()) {
            if (isBsnIssuer(other.issuerOfPatientId()) && notBlank(other.patientId())) {
                candidates.add(other.patientId().trim());
            }
        }
        if (candidates.isEmpty()) {
            return IdentityResolution.unresolved(IdentityResolution.Reason.NO_BSN,
                    "no Patient ID with Issuer of Patient ID " + Bsn.OID + " (nor in Other Patient IDs Sequence)");
        }
        if (candidates.size() > 1) {
            return IdentityResolution.unresolved(IdentityResolution.Reason.AMBIGUOUS,
                    candidates.size() + " different identifiers with the BSN issuer");
        }
        return Bsn.parse(candidates.iterator().next())
                .map(IdentityResolution::found)
                .orElseGet(() -> IdentityResolution.unresolved(IdentityResolution.Reason.INVALID_BSN,
                        "the identifier with the BSN issuer fails the elfproef"));
    }

    static boolean isBsnIssuer(String issuer) {
        if (issuer == null) {
            return false;
        }
        String s = issuer.trim();
        if (s.startsWith("urn:oid:")) {
            s = s.substring(8);
        }
        if (s.startsWith("&") && s.endsWith("&ISO")) {
            s = s.substring(1, s.length() - 4);
        }
        return s.equals(Bsn.OID);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
