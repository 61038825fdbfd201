package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/** DIMSE service user operations on an open association (PS3.7 9.1, PS3.4 Annexes A, B, C). */
public final class DimseScu {
    private DimseScu() {
    }

    /** C-ECHO; returns the status. */
    public static int echo(Association as) throws IOException {
        PresentationContext pc = context(as, UID.Verification);
        Attributes rq = Dimse.request(Dimse.C_ECHO_RQ, UID.Verification, as.nextMessageId(), false);
        return as.invoke(pc.id(), rq, null).next().status();
    }

    /** C-STORE of a PS3.10 file (values stream from the file); returns the status. */
    public static int store(Association as, Path file, String moveOriginatorAe, int moveOriginatorId)
            throws IOException {
        DicomFile f = DicomFile.read(file);
        Attributes ds = f.dataset();
        String cuid = ds.getString(Tag.SOPClassUID, f.fileMeta().getString(Tag.MediaStorageSOPClassUID));
        String iuid = ds.getString(Tag.SOPInstanceUID, f.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        PresentationContext pc = as.findContext(cuid, candidateSyntaxes(f.transferSyntax()));
        if (pc == null) {
            return Dimse.SOP_CLASS_NOT_SUPPORTED;
        }
        Attributes rq = Dimse.request(Dimse.C_STORE_RQ, cuid, as.nextMessageId(), true);
        rq.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        if (moveOriginatorAe != null) {
            rq.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, moveOriginatorAe);
            rq.setInt(Tag.MoveOriginatorMessageID, VR.US, moveOriginatorId);
        }
        return as.invoke(pc.id(), rq, (out, ts) -> DicomWriter.write(ds, ts, out)).next().status();
    }

    /** Transfer syntaxes a file can be sent in: its own, and for native encodings the uncompressed LE ones. */
    public static List<String> candidateSyntaxes(TransferSyntax ts) {
        List<String> l = new ArrayList<>();
        if (ts.writable()) {
            l.add(ts.uid());
        }
        if (!ts.encapsulated()) {
            for (String u : List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)) {
                if (!l.contains(u)) {
                    l.add(u);
                }
            }
        }
        return l;
    }

    /**
     * C-FIND: each match goes to {@code onMatch}; when it returns false a C-CANCEL is sent and the remaining
     * responses are drained. Returns the final status.
     */
    public static int find(Association as, String model, Attributes keys, Predicate<Attributes> onMatch)
            throws IOException {
        PresentationContext pc = context(as, model);
        Attributes rq = Dimse.request(Dimse.C_FIND_RQ, model, as.nextMessageId(), true);
        ResponseStream rs = as.invoke(pc.id(), rq, DataWriter.of(keys));
        boolean cancelled = false;
        while (true) {
            DimseResponse r = rs.next();
            if (!r.pending()) {
                return r.status();
            }
            if (!cancelled && r.dataset() != null && !onMatch.test(r.dataset())) {
                cancelled = true;
                rs.cancel();
            }
        }
    }

    /** C-MOVE to {@code destination}; waits for the final response. */
    public static RetrieveResult move(Association as, String model, Attributes keys, String destination)
            throws IOException {
        PresentationContext pc = context(as, model);
        Attributes rq = Dimse.request(Dimse.C_MOVE_RQ, model, as.nextMessageId(), true);
        rq.setString(Tag.MoveDestination, VR.AE, destination);
        return retrieve(as.invoke(pc.id(), rq, DataWriter.of(keys)));
    }

    /** C-GET; the instances arrive through the association's store handler. */
    public static RetrieveResult get(Association as, String model, Attributes keys) throws IOException {
        PresentationContext pc = context(as, model);
        Attributes rq = Dimse.request(Dimse.C_GET_RQ, model, as.nextMessageId(), true);
        return retrieve(as.invoke(pc.id(), rq, DataWriter.of(keys)));
    }

    private static RetrieveResult retrieve(ResponseStream rs) throws IOException {
        while (true) {
            DimseResponse r = rs.next();
            if (!r.pending()) {
                Attributes c = r.command();
                return new RetrieveResult(r.status(), c.getInt(Tag.NumberOfCompletedSuboperations, 0),
                        c.getInt(Tag.NumberOfFailedSuboperations, 0), c.getInt(Tag.NumberOfWarningSuboperations, 0));
            }
        }
    }

    private static PresentationContext context(Association as, String abstractSyntax) throws IOException {
        PresentationContext pc = as.findContext(abstractSyntax,
                List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian));
        if (pc == null) {
            throw new IOException("no accepted presentation context for " + abstractSyntax);
        }
        return pc;
    }
}
