package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.db.DataAccessException;
import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.util.Objects;

/**
 * The {@code XREF} strategy for one source: the study's local patient id (in the source's {@code localDomain})
 * is looked up in the cross-reference table that the ITI-8 Patient Identity Feed keeps ({@link PatientIdentityFeed}).
 */
public final class XrefIdentityResolver implements PatientIdentityResolver {

    private final String localDomain;
    private final DataSource dataSource;
    private final PatientCrossReference xref;

    public XrefIdentityResolver(String localDomain, DataSource dataSource, PatientCrossReference xref) {
        this.localDomain = AssigningAuthority.oid(localDomain);
        if (this.localDomain.isEmpty()) {
            throw new IllegalArgumentException("the XREF strategy needs the source's identity.local-domain");
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.xref = Objects.requireNonNull(xref, "xref");
    }

    @Override
    public IdentityResolution resolve(String sourceId, DicomPatient patient) {
        var local = LocalPatientId.of(patient, localDomain);
        if (local.isEmpty()) {
            return IdentityResolution.unresolved(Reason.NO_BSN, "no Patient ID of the local domain " + localDomain);
        }
        try {
            return Database.read(dataSource, c -> xref.bsnOf(c, local.get()))
                    .map(IdentityResolution::found)
                    .orElseGet(() -> IdentityResolution.unresolved(Reason.NO_BSN,
                            "the local patient id is not in the cross-reference (no ITI-8 feed gave its BSN)"));
        } catch (DataAccessException e) {
            return IdentityResolution.unresolved(Reason.UNAVAILABLE, "the cross-reference could not be read");
        }
    }
}
