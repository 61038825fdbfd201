package nl.beeldbrug.adapters.dicom.net;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import nl.beeldbrug.adapters.dicom.data.Attributes;

/**
 * Answers C-FIND and locates instances for C-MOVE/C-GET. {@code keys} carries Query/Retrieve Level (0008,0052).
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
}
