package nl.beeldbrug.adapters.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/** DIMSE command fields, statuses and command set construction (PS3.7 section 9, Annex C). */
public final class Dimse {
    public static final int C_STORE_RQ = 0x0001;
    public static final int C_GET_RQ = 0x0010;
    public static final int C_FIND_RQ = 0x0020;
    public static final int C_MOVE_RQ = 0x0021;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_CANCEL_RQ = 0x0FFF;
    public static final int RSP = 0x8000;
    public static final int NO_DATA_SET = 0x0101;

    /** Status codes (PS3.7 Annex C, PS3.4). */
    public static final int SUCCESS = 0x0000;
    public static final int PENDING = 0xFF00;
    public static final int PENDING_WARNING = 0xFF01;
    public static final int CANCEL = 0xFE00;
    public static final int SUB_OPERATIONS_WARNING = 0xB000;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int OUT_OF_RESOURCES_SUB_OPERATIONS = 0xA702;
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    public static final int IDENTIFIER_DOES_NOT_MATCH = 0xA900;
    public static final int CANNOT_UNDERSTAND = 0xC000;
    public static final int DUPLICATE_INVOCATION = 0x0111;

    private Dimse() {
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    public static Attributes request(int commandField, String sopClass, int messageId, boolean hasData) {
        Attributes c = new Attributes();
        c.setString(Tag.AffectedSOPClassUID, VR.UI, sopClass);
        c.setInt(Tag.CommandField, VR.US, commandField);
        c.setInt(Tag.MessageID, VR.US, messageId);
        if (commandField != C_ECHO_RQ) {
            c.setInt(Tag.Priority, VR.US, 0);
        }
        c.setInt(Tag.CommandDataSetType, VR.US, hasData ? 0x0000 : NO_DATA_SET);
        return c;
    }

    public static Attributes response(Attributes rq, int status, boolean hasData) {
        Attributes c = new Attributes();
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        if (cuid != null) {
            c.setString(Tag.AffectedSOPClassUID, VR.UI, cuid);
        }
        c.setInt(Tag.CommandField, VR.US, rq.getInt(Tag.CommandField, 0) | RSP);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, rq.getInt(Tag.MessageID, 0));
        c.setInt(Tag.CommandDataSetType, VR.US, hasData ? 0x0000 : NO_DATA_SET);
        c.setInt(Tag.Status, VR.US, status);
        String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
        if (iuid != null) {
            c.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        }
        return c;
    }

    public static int status(Attributes command) {
        return command.getInt(Tag.Status, -1);
    }

    public static int commandField(Attributes command) {
        return command.getInt(Tag.CommandField, -1);
    }

    public static boolean hasDataSet(Attributes command) {
        return command.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    /** Encodes a command set in Implicit VR LE with its group length (PS3.7 6.3.1). */
    static byte[] encode(Attributes command) {
        try {
            Attributes c = new Attributes();
            c.addAll(command);
            c.remove(Tag.CommandGroupLength);
            long len = DicomWriter.encodedLength(c, false);
            c.setInt(Tag.CommandGroupLength, VR.UL, (int) len);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) len + 12);
            DicomWriter.write(c, TransferSyntax.IMPLICIT_VR_LE, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
