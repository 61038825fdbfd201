package nl.beeldbrug.registry.bridge;

/**
 * One patient identifier as a feed carries it (HL7 v2 CX: {@code id^^^&authority&ISO}). {@code toString()} names
 * the authority only.
 *
 * @param id        CX-1
 * @param authority the assigning authority (CX-4), in any form {@link AssigningAuthority} reads
 */
public record PatientIdentifier(String id, String authority) {

    public boolean isBsn() {
        return AssigningAuthority.same(authority, nl.beeldbrug.registry.patient.Bsn.OID);
    }

    public boolean hasId() {
        return id != null && !id.isBlank();
    }

    @Override
    public String toString() {
        return "PatientIdentifier[authority=" + AssigningAuthority.oid(authority) + "]";
    }
}
