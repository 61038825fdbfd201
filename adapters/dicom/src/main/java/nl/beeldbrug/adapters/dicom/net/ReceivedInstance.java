package nl.beeldbrug.adapters.dicom.net;

import java.nio.file.Path;
import nl.beeldbrug.adapters.dicom.data.Attributes;

/**
 * An instance received by C-STORE, already streamed to {@code file} (a PS3.10 file). The handler may move the
 * file; if it is still there after the handler returns, it is deleted. {@code dataset} is parsed from the file
 * with large values left in it.
 */
public record ReceivedInstance(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                               String callingAe, Attributes dataset) {
}
