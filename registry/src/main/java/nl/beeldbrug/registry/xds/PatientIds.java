package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

/** Reads the XDS patient id of the affinity domain: a BSN in assigning authority {@link Bsn#OID}. */
public final class PatientIds {

    private PatientIds() {
    }

    /**
     * The BSN of an XDS patient id, or an {@link XdsException} with XDSUnknownPatientId when the id is
     * not in the BSN assigning authority or fails the elfproef.
     */
    public static Bsn bsnOf(Identifiable patientId) {
        if (patientId == null || patientId.getId() == null) {
            throw new XdsException(ErrorCode.UNKNOWN_PATIENT_ID, "patient id is missing");
        }
        if (patientId.getAssigningAuthority() == null
                || !Bsn.OID.equals(patientId.getAssigningAuthority().getUniversalId())) {
            throw new XdsException(ErrorCode.UNKNOWN_PATIENT_ID,
                    "patient id must be a BSN with assigning authority &" + Bsn.OID + "&ISO");
        }
        return Bsn.parse(patientId.getId()).orElseThrow(() -> new XdsException(ErrorCode.UNKNOWN_PATIENT_ID,
                "patient id is not a valid BSN (elfproef)"));
    }

    /** The XDS patient id for a BSN. */
    public static Identifiable of(Bsn bsn) {
        return new Identifiable(bsn.value(), new org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority(Bsn.OID));
    }
}
