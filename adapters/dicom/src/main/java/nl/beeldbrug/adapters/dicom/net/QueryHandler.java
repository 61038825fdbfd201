package nl.beeldbrug.adapters.dicom.net;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import nl.beeldbrug.adapters.dicom.data.Attributes;

/**
 * Answers C-FIND and locates instances for C-MOVE/C-GET. {@code keys} carries Query/Retrieve Level (0008,0052).
 * A handler that needs to know who asks implements the variants with {@code callingAe}; a {@link DimseException}
 * thrown by {@code find} or {@code locate} is answered with its status (e.g. 0xA900 for a malformed identifier).
 */
public interface QueryHandler {
    /**
     * Streams matches to {@code sink}; stops when {@code sink} returns false (C-CANCEL received).
     *
     * @param informationModel the abstract syntax (patient or study root FIND)
     */
    void find(String informationModel, Attributes keys, Predicate<Attributes> sink) throws Exception;

    /** Files of the instances selected by a C-MOVE/C-GET identifier. */
    List<Path> locate(String informationModel, Attributes keys) throws Exception;

    /** As {@link #find(String, Attributes, Predicate)}, for the peer with this calling AE title. */
    default void find(String callingAe, String informationModel, Attributes keys, Predicate<Attributes> sink)
            throws Exception {
        find(informationModel, keys, sink);
    }

    /** As {@link #locate(String, Attributes)}, for the peer with this calling AE title. */
    default List<Path> locate(String callingAe, String informationModel, Attributes keys) throws Exception {
        return locate(informationModel, keys);
    }

    /**
     * Called once the sub-operations of a C-MOVE/C-GET of {@code files} (as returned by {@code locate}) have ended,
     * whatever their outcome: the place to remove temporary files and to audit. A C-MOVE refused before anything
     * was located (unknown move destination, 0xA801) is reported too, with {@code files} empty and not from locate.
     *
     * @param result the final status and counts; status 0xA702 with no counts when the move destination was not reached
     */
    default void retrieved(String callingAe, List<Path> files, RetrieveResult result) {
    }
}
