package nl.beeldbrug.adapters.dicom.net;

/** Receives instances (C-STORE SCP, or C-GET SCU sub-operations). Returns a DIMSE status. */
@FunctionalInterface
public interface StoreHandler {
    int store(ReceivedInstance instance) throws Exception;
}
