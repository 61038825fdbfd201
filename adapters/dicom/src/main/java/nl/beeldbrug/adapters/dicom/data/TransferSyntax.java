package nl.beeldbrug.adapters.dicom.data;

import nl.beeldbrug.adapters.dicom.dict.UID;

/**
 * How a data set is encoded (PS3.5 section 10). Unknown UIDs are treated as encapsulated explicit VR LE,
 * which is what every compressed transfer syntax uses for the data set itself.
 */
public record TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_VR_LE =
            new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
    public static final TransferSyntax EXPLICIT_VR_LE =
            new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LE =
            new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);
    public static final TransferSyntax EXPLICIT_VR_BE =
            new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);

    public static TransferSyntax of(String uid) {
        String u = uid == null ? "" : uid.trim();
        if (u.equals(IMPLICIT_VR_LE.uid)) {
            return IMPLICIT_VR_LE;
        }
        if (u.equals(EXPLICIT_VR_LE.uid)) {
            return EXPLICIT_VR_LE;
        }
        if (u.equals(DEFLATED_EXPLICIT_VR_LE.uid)) {
            return DEFLATED_EXPLICIT_VR_LE;
        }
        if (u.equals(EXPLICIT_VR_BE.uid)) {
            return EXPLICIT_VR_BE;
        }
        return new TransferSyntax(u, true, false, false, true);
    }

    /** True for the transfer syntaxes this codec can also write. */
    public boolean writable() {
        return !bigEndian;
    }
}
