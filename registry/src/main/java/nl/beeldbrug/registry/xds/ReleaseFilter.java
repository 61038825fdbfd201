package nl.beeldbrug.registry.xds;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.util.List;

/**
 * The consent decision as the XDS services see it (issue 6): which of the document entries about to leave may
 * be released to the current requester. The gateway implements it with its release guard for each request;
 * the services treat a withheld entry exactly as if it were not registered — it is never found, counted,
 * associated, or retrieved.
 */
@FunctionalInterface
public interface ReleaseFilter {

    /** Releases everything (registry-internal use and tests that are not about consent). */
    ReleaseFilter ALL = entries -> entries;

    /** The entries of {@code entries} that may be released, in their order. */
    List<DocumentEntry> permitted(List<DocumentEntry> entries);
}
