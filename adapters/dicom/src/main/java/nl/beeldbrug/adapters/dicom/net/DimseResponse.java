package nl.beeldbrug.adapters.dicom.net;

import nl.beeldbrug.adapters.dicom.data.Attributes;

/** A DIMSE response: command set and optional data set (e.g. a C-FIND match). */
public record DimseResponse(Attributes command, Attributes dataset) {
    public int status() {
        return Dimse.status(command);
    }

    public boolean pending() {
        return Dimse.isPending(status());
    }
}
