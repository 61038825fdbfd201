package nl.beeldbrug.adapters.dicom.net;

/** Outcome of C-MOVE, C-GET or a batch of C-STORE: final status and sub-operation counts. */
public record RetrieveResult(int status, int completed, int failed, int warning) {
    public boolean success() {
        return status == Dimse.SUCCESS;
    }
}
