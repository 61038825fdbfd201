package nl.beeldbrug.registry.xds.query;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The objects a stored query found, each once, in the order found. */
final class QueryResult {

    private final Map<String, DocumentEntry> documentEntries = new LinkedHashMap<>();
    private final Map<String, SubmissionSet> submissionSets = new LinkedHashMap<>();
    private final Map<String, Folder> folders = new LinkedHashMap<>();
    private final Map<String, Association> associations = new LinkedHashMap<>();

    void add(DocumentEntry e) {
        documentEntries.putIfAbsent(e.getEntryUuid(), e);
    }

    void add(SubmissionSet s) {
        submissionSets.putIfAbsent(s.getEntryUuid(), s);
    }

    void add(Folder f) {
        folders.putIfAbsent(f.getEntryUuid(), f);
    }

    void add(Association a) {
        associations.putIfAbsent(a.getEntryUuid(), a);
    }

    List<DocumentEntry> documentEntries() {
        return List.copyOf(documentEntries.values());
    }

    List<SubmissionSet> submissionSets() {
        return List.copyOf(submissionSets.values());
    }

    List<Folder> folders() {
        return List.copyOf(folders.values());
    }

    List<Association> associations() {
        return List.copyOf(associations.values());
    }

    int size() {
        return documentEntries.size() + submissionSets.size() + folders.size() + associations.size();
    }

    /** UUIDs in ObjectRef order: submission sets, folders, document entries, associations. */
    List<String> uuids() {
        List<String> uuids = new ArrayList<>();
        uuids.addAll(submissionSets.keySet());
        uuids.addAll(folders.keySet());
        uuids.addAll(documentEntries.keySet());
        uuids.addAll(associations.keySet());
        return uuids;
    }
}
