package nl.beeldbrug.registry.xds.query;

import nl.beeldbrug.registry.xds.ReleaseFilter;
import nl.beeldbrug.registry.xds.XdsStore;
import nl.beeldbrug.registry.xds.XdsStore.Kind;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store as one requester may see it: every lookup of a stored query goes through here, so that a document
 * entry the {@link ReleaseFilter} withholds is never found — and neither is what would betray it: an association
 * with a withheld end, and a submission set or folder all of whose members are withheld. The query then matches,
 * counts and limits only what is visible, exactly as if the withheld objects had never been registered.
 * Decisions are taken once per object and request.
 */
final class VisibleObjects {

    private final Connection c;
    private final XdsStore store;
    private final ReleaseFilter filter;
    /** entryUUID of an object or association → withheld. */
    private final Map<String, Boolean> hidden = new HashMap<>();

    VisibleObjects(Connection c, XdsStore store, ReleaseFilter filter) {
        this.c = c;
        this.store = store;
        this.filter = filter;
    }

    List<XDSMetaClass> findByUuids(Collection<String> uuids) throws SQLException {
        return visible(store.findByUuids(c, uuids));
    }

    List<XDSMetaClass> findByUniqueIds(Kind kind, Collection<String> uniqueIds) throws SQLException {
        return visible(store.findByUniqueIds(c, kind, uniqueIds));
    }

    List<XDSMetaClass> findByLogicalIds(Collection<String> logicalIds) throws SQLException {
        return visible(store.findByLogicalIds(c, logicalIds));
    }

    List<XDSMetaClass> findByPatient(String bsn, Kind kind, Collection<AvailabilityStatus> statuses) throws SQLException {
        return visible(store.findByPatient(c, bsn, kind, statuses));
    }

    List<Association> findAssociationsByUuids(Collection<String> uuids) throws SQLException {
        return visibleAssociations(store.findAssociationsByUuids(c, uuids));
    }

    List<Association> findAssociationsTouching(Collection<String> uuids) throws SQLException {
        return visibleAssociations(store.findAssociationsTouching(c, uuids));
    }

    List<Association> findAssociationsBySource(Collection<String> uuids) throws SQLException {
        return visibleAssociations(store.findAssociationsBySource(c, uuids));
    }

    List<Association> findAssociationsByTarget(Collection<String> uuids) throws SQLException {
        return visibleAssociations(store.findAssociationsByTarget(c, uuids));
    }

    /** The patients a local id names through a document entry the requester may see. */
    List<String> patientsBySourcePatientId(Identifiable sourcePatientId) throws SQLException {
        List<String> bsns = store.patientsBySourcePatientId(c, sourcePatientId);
        if (filter == ReleaseFilter.ALL) {
            return bsns;
        }
        List<String> visible = new ArrayList<>();
        for (String bsn : bsns) {
            if (findByPatient(bsn, Kind.DOCUMENT_ENTRY, List.of()).stream()
                    .anyMatch(e -> sameId(((DocumentEntry) e).getSourcePatientId(), sourcePatientId))) {
                visible.add(bsn);
            }
        }
        return visible;
    }

    private static boolean sameId(Identifiable a, Identifiable b) {
        return a != null && b != null && java.util.Objects.equals(a.getId(), b.getId())
                && java.util.Objects.equals(a.getAssigningAuthority() == null ? null : a.getAssigningAuthority().getUniversalId(),
                b.getAssigningAuthority() == null ? null : b.getAssigningAuthority().getUniversalId());
    }

    // ---------------------------------------------------------------- deciding

    private List<XDSMetaClass> visible(List<XDSMetaClass> objects) throws SQLException {
        if (filter == ReleaseFilter.ALL) {
            return objects;
        }
        classify(objects);
        return objects.stream().filter(o -> !hidden.get(o.getEntryUuid())).toList();
    }

    private List<Association> visibleAssociations(List<Association> associations) throws SQLException {
        if (filter == ReleaseFilter.ALL) {
            return associations;
        }
        classifyAssociations(associations);
        return associations.stream().filter(a -> !hidden.get(a.getEntryUuid())).toList();
    }

    /** Document entries by the filter; a submission set or folder is withheld when all its members are. */
    private void classify(Collection<XDSMetaClass> objects) throws SQLException {
        List<DocumentEntry> entries = new ArrayList<>();
        List<XDSMetaClass> containers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (XDSMetaClass o : objects) {
            if (hidden.containsKey(o.getEntryUuid()) || !seen.add(o.getEntryUuid())) {
                continue;
            }
            if (o instanceof DocumentEntry entry) {
                entries.add(entry);
            } else {
                containers.add(o);
            }
        }
        if (!entries.isEmpty()) {
            Set<String> permitted = new HashSet<>();
            filter.permitted(entries).forEach(e -> permitted.add(e.getEntryUuid()));
            entries.forEach(e -> hidden.put(e.getEntryUuid(), !permitted.contains(e.getEntryUuid())));
        }
        if (containers.isEmpty()) {
            return;
        }
        List<Association> memberships = store.findAssociationsBySource(c, containers.stream().map(XDSMetaClass::getEntryUuid).toList())
                .stream().filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER).toList();
        List<XDSMetaClass> members = store.findByUuids(c, memberships.stream().map(Association::getTargetUuid).distinct().toList())
                .stream().filter(m -> Kind.of(m) != Kind.SUBMISSION_SET).toList();
        classify(members); // documents, and the folders a submission set carried
        Set<String> memberUuids = new HashSet<>();
        members.forEach(m -> memberUuids.add(m.getEntryUuid()));
        for (XDSMetaClass container : containers) {
            List<String> own = memberships.stream()
                    .filter(a -> a.getSourceUuid().equals(container.getEntryUuid()) && memberUuids.contains(a.getTargetUuid()))
                    .map(Association::getTargetUuid).toList();
            hidden.put(container.getEntryUuid(), !own.isEmpty() && own.stream().allMatch(hidden::get));
        }
    }

    /** An association is withheld when either end is (an end may itself be an association). */
    private void classifyAssociations(Collection<Association> associations) throws SQLException {
        List<Association> open = associations.stream().filter(a -> !hidden.containsKey(a.getEntryUuid())).toList();
        if (open.isEmpty()) {
            return;
        }
        Set<String> ends = new HashSet<>();
        for (Association a : open) {
            ends.add(a.getSourceUuid());
            ends.add(a.getTargetUuid());
        }
        open.forEach(a -> ends.remove(a.getEntryUuid()));
        ends.removeIf(hidden::containsKey);
        if (!ends.isEmpty()) {
            List<XDSMetaClass> objects = store.findByUuids(c, ends);
            classify(objects);
            objects.forEach(o -> ends.remove(o.getEntryUuid()));
        }
        if (!ends.isEmpty()) {
            List<Association> targets = store.findAssociationsByUuids(c, ends);
            classifyAssociations(targets);
            targets.forEach(t -> ends.remove(t.getEntryUuid()));
        }
        ends.forEach(unknown -> hidden.put(unknown, false)); // names nothing registered: nothing to withhold
        Map<String, Association> byUuid = new HashMap<>();
        open.forEach(a -> byUuid.put(a.getEntryUuid(), a));
        for (Association a : open) {
            decide(a, byUuid, new HashSet<>());
        }
    }

    private boolean decide(Association a, Map<String, Association> batch, Set<String> path) {
        Boolean known = hidden.get(a.getEntryUuid());
        if (known != null) {
            return known;
        }
        if (!path.add(a.getEntryUuid())) {
            return false; // a cycle of associations names no withheld object
        }
        boolean withheld = endHidden(a.getSourceUuid(), batch, path) || endHidden(a.getTargetUuid(), batch, path);
        hidden.put(a.getEntryUuid(), withheld);
        return withheld;
    }

    private boolean endHidden(String uuid, Map<String, Association> batch, Set<String> path) {
        Association inBatch = batch.get(uuid);
        if (inBatch != null) {
            return decide(inBatch, batch, path);
        }
        return Boolean.TRUE.equals(hidden.get(uuid));
    }
}
