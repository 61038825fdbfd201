package nl.beeldbrug.adapters.dicom.net;

/** SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4), needed for C-GET. */
public record RoleSelection(String sopClassUid, boolean scu, boolean scp) {
}
