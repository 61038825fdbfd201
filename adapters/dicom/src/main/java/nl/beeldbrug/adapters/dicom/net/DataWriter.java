package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;
import java.io.OutputStream;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;

/** Writes a message's data set in the presentation context's transfer syntax, streaming into P-DATA PDVs. */
@FunctionalInterface
interface DataWriter {
    void writeTo(OutputStream out, TransferSyntax ts) throws IOException;

    static DataWriter of(Attributes ds) {
        return (out, ts) -> DicomWriter.write(ds, ts, out);
    }
}
