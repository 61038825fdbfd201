package nl.beeldbrug.registry.xds.query;

import nl.beeldbrug.registry.db.DataAccessException;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.PatientIds;
import nl.beeldbrug.registry.xds.ReleaseFilter;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import nl.beeldbrug.registry.xds.XdsStore.Kind;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentAvailability;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.*;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs one stored query on one connection. SQL narrows by the indexed keys (patient, UUID,
 * uniqueId, association ends); {@link Matching} applies the remaining parameters in memory. Every lookup goes
 * through {@link VisibleObjects}: what the consent withholds is never found, so never matched or counted.
 */
final class StoredQueryRunner implements Query.Visitor {

    private final VisibleObjects objects;
    private final QueryResult result = new QueryResult();

    /** @param filter what the requester may see; the query runs as if nothing else were registered */
    StoredQueryRunner(Connection c, XdsStore store, ReleaseFilter filter) {
        this.objects = new VisibleObjects(c, store, filter);
    }

    QueryResult result() {
        return result;
    }

    @FunctionalInterface
    private interface Sql<T> {
        T get() throws SQLException;
    }

    private static <T> T sql(Sql<T> work) {
        try {
            return work.get();
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    // ---------------------------------------------------------------- patient-based queries

    @Override
    public void visit(FindDocumentsQuery query) {
        findDocuments(query, e -> true);
    }

    @Override
    public void visit(FindDocumentsByReferenceIdQuery query) {
        findDocuments(query, e -> Matching.referenceIds(query.getReferenceIds(),
                e.getReferenceIdList().stream().map(Hl7v2Based::render).toList()));
    }

    private void findDocuments(FindDocumentsQuery query, Predicate<DocumentEntry> extra) {
        String bsn = bsn(query.getPatientId());
        for (DocumentEntry entry : documents(sql(() -> objects.findByPatient(bsn, Kind.DOCUMENT_ENTRY, statuses(query.getStatus()))))) {
            if (matches(query, entry) && entryTypeMatches(query.getDocumentEntryTypes(), entry)
                    && Matching.oneOf(query.getDocumentAvailability(), availabilityOf(entry))
                    && extra.test(entry)) {
                result.add(entry);
            }
        }
    }

    @Override
    public void visit(FindSubmissionSetsQuery query) {
        String bsn = bsn(query.getPatientId());
        List<String> authorPatterns = query.getAuthorPerson() == null ? null : List.of(query.getAuthorPerson());
        for (XDSMetaClass object : sql(() -> objects.findByPatient(bsn, Kind.SUBMISSION_SET, statuses(query.getStatus())))) {
            SubmissionSet set = (SubmissionSet) object;
            if (Matching.oneOf(query.getSourceIds(), set.getSourceId())
                    && Matching.inRange(query.getSubmissionTime(), set.getSubmissionTime())
                    && Matching.authorPerson(authorPatterns, set.getAuthors())
                    && Matching.anyCode(query.getContentTypeCodes(), set.getContentTypeCode())) {
                result.add(set);
            }
        }
    }

    @Override
    public void visit(FindFoldersQuery query) {
        String bsn = bsn(query.getPatientId());
        for (XDSMetaClass object : sql(() -> objects.findByPatient(bsn, Kind.FOLDER, statuses(query.getStatus())))) {
            Folder folder = (Folder) object;
            if (Matching.inRange(query.getLastUpdateTime(), folder.getLastUpdateTime())
                    && Matching.codeList(query.getCodes(), folder.getCodeList())) {
                result.add(folder);
            }
        }
    }

    @Override
    public void visit(GetAllQuery query) {
        String bsn = bsn(query.getPatientId());
        for (DocumentEntry entry : documents(sql(() -> objects.findByPatient(bsn, Kind.DOCUMENT_ENTRY, statuses(query.getStatusDocuments()))))) {
            if (Matching.codeList(query.getConfidentialityCodes(), entry.getConfidentialityCodes())
                    && Matching.anyCode(query.getFormatCodes(), entry.getFormatCode())
                    && entryTypeMatches(query.getDocumentEntryTypes(), entry)) {
                result.add(entry);
            }
        }
        sql(() -> objects.findByPatient(bsn, Kind.SUBMISSION_SET, statuses(query.getStatusSubmissionSets())))
                .forEach(s -> result.add((SubmissionSet) s));
        sql(() -> objects.findByPatient(bsn, Kind.FOLDER, statuses(query.getStatusFolders())))
                .forEach(f -> result.add((Folder) f));
        addAssociationsAmongResult(query.getAssociationStatuses());
    }

    // ---------------------------------------------------------------- id-based queries

    @Override
    public void visit(GetDocumentsQuery query) {
        documentsById(query, query.getLogicalUuid()).forEach(result::add);
    }

    @Override
    public void visit(GetDocumentsAndAssociationsQuery query) {
        List<DocumentEntry> entries = documentsById(query, null);
        entries.forEach(result::add);
        List<String> uuids = entries.stream().map(DocumentEntry::getEntryUuid).toList();
        sql(() -> objects.findAssociationsTouching(uuids)).stream()
                .filter(a -> statusMatches(query.getAssociationStatuses(), a))
                .forEach(result::add);
    }

    @Override
    public void visit(GetFoldersQuery query) {
        List<XDSMetaClass> found = new ArrayList<>();
        found.addAll(sql(() -> objects.findByUuids(nonNull(query.getUuids()))));
        found.addAll(sql(() -> objects.findByUniqueIds(Kind.FOLDER, nonNull(query.getUniqueIds()))));
        found.addAll(sql(() -> objects.findByLogicalIds(nonNull(query.getLogicalUuid()))));
        found.stream().filter(Folder.class::isInstance).forEach(f -> result.add((Folder) f));
    }

    @Override
    public void visit(GetAssociationsQuery query) {
        sql(() -> objects.findAssociationsTouching(nonNull(query.getUuids()))).stream()
                .filter(a -> statusMatches(query.getAssociationStatuses(), a))
                .forEach(result::add);
    }

    @Override
    public void visit(GetSubmissionSetsQuery query) {
        List<Association> memberships = sql(() -> objects.findAssociationsByTarget(nonNull(query.getUuids()))).stream()
                .filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER).toList();
        List<String> sources = memberships.stream().map(Association::getSourceUuid).distinct().toList();
        Set<String> setUuids = new HashSet<>();
        for (XDSMetaClass object : sql(() -> objects.findByUuids(sources))) {
            if (object instanceof SubmissionSet set) {
                result.add(set);
                setUuids.add(set.getEntryUuid());
            }
        }
        memberships.stream().filter(a -> setUuids.contains(a.getSourceUuid())).forEach(result::add);
    }

    @Override
    public void visit(GetSubmissionSetAndContentsQuery query) {
        XDSMetaClass set = single(query.getUuid(), query.getUniqueId(), Kind.SUBMISSION_SET);
        if (!(set instanceof SubmissionSet submissionSet)) {
            return;
        }
        result.add(submissionSet);
        addContents(submissionSet.getEntryUuid(), query, true);
    }

    @Override
    public void visit(GetFolderAndContentsQuery query) {
        XDSMetaClass folder = single(query.getUuid(), query.getUniqueId(), Kind.FOLDER);
        if (!(folder instanceof Folder f)) {
            return;
        }
        result.add(f);
        addContents(f.getEntryUuid(), query, false);
    }

    /** Members of a submission set or folder, filtered by the query's document parameters. */
    private void addContents(String containerUuid, GetByIdAndCodesQuery query, boolean foldersToo) {
        List<Association> memberships = sql(() -> objects.findAssociationsBySource(List.of(containerUuid))).stream()
                .filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER).toList();
        Set<String> included = new HashSet<>();
        List<String> targets = memberships.stream().map(Association::getTargetUuid).toList();
        for (XDSMetaClass member : sql(() -> objects.findByUuids(targets))) {
            if (member instanceof DocumentEntry entry) {
                if (Matching.codeList(query.getConfidentialityCodes(), entry.getConfidentialityCodes())
                        && Matching.anyCode(query.getFormatCodes(), entry.getFormatCode())
                        && entryTypeMatches(query.getDocumentEntryTypes(), entry)) {
                    result.add(entry);
                    included.add(entry.getEntryUuid());
                }
            } else if (foldersToo && member instanceof Folder folder) {
                result.add(folder);
                included.add(folder.getEntryUuid());
            }
        }
        // memberships of the container, and (for a submission set) the folder memberships it carried
        List<Association> carried = foldersToo
                ? sql(() -> objects.findAssociationsByUuids(targets)) : List.of();
        for (Association a : memberships) {
            if (included.contains(a.getTargetUuid())) {
                result.add(a);
            }
        }
        for (Association a : carried) {
            if (included.contains(a.getSourceUuid()) && included.contains(a.getTargetUuid())) {
                result.add(a);
                memberships.stream().filter(m -> m.getTargetUuid().equals(a.getEntryUuid())).forEach(result::add);
            }
        }
    }

    @Override
    public void visit(GetFoldersForDocumentQuery query) {
        List<String> documentUuids = documentUuids(query.getUuid(), query.getUniqueId());
        List<String> sources = sql(() -> objects.findAssociationsByTarget(documentUuids)).stream()
                .filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER)
                .filter(a -> statusMatches(query.getAssociationStatuses(), a))
                .map(Association::getSourceUuid).distinct().toList();
        sql(() -> objects.findByUuids(sources)).stream()
                .filter(Folder.class::isInstance).forEach(f -> result.add((Folder) f));
    }

    @Override
    public void visit(GetRelatedDocumentsQuery query) {
        XDSMetaClass original = single(query.getUuid(), query.getUniqueId(), Kind.DOCUMENT_ENTRY);
        if (!(original instanceof DocumentEntry originalEntry)) {
            return;
        }
        List<AssociationType> types = nonNull(query.getAssociationTypes());
        List<Association> related = sql(() -> objects.findAssociationsTouching(List.of(originalEntry.getEntryUuid())))
                .stream()
                .filter(a -> types.isEmpty() || types.contains(a.getAssociationType()))
                .filter(a -> a.getAssociationType() != AssociationType.HAS_MEMBER)
                .filter(a -> statusMatches(query.getAssociationStatuses(), a))
                .toList();
        List<String> others = related.stream()
                .map(a -> a.getSourceUuid().equals(originalEntry.getEntryUuid()) ? a.getTargetUuid() : a.getSourceUuid())
                .distinct().toList();
        List<DocumentEntry> relatedEntries = documents(sql(() -> objects.findByUuids(others))).stream()
                .filter(e -> entryTypeMatches(query.getDocumentEntryTypes(), e)).toList();
        if (relatedEntries.isEmpty()) {
            return;
        }
        result.add(originalEntry);
        relatedEntries.forEach(result::add);
        Set<String> included = new HashSet<>(others);
        related.stream().filter(a -> included.contains(a.getSourceUuid()) || included.contains(a.getTargetUuid()))
                .forEach(result::add);
    }

    // ---------------------------------------------------------------- not offered

    @Override
    public void visit(FindDocumentsForMultiplePatientsQuery query) {
        unsupported("FindDocumentsForMultiplePatients");
    }

    @Override
    public void visit(FindFoldersForMultiplePatientsQuery query) {
        unsupported("FindFoldersForMultiplePatients");
    }

    @Override
    public void visit(FindDocumentsByReferenceIdForMultiplePatientsQuery query) {
        unsupported("FindDocumentsByReferenceIdForMultiplePatients");
    }

    @Override
    public void visit(FetchQuery query) {
        unsupported("Fetch");
    }

    @Override
    public void visit(FindMedicationTreatmentPlansQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindPrescriptionsQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindDispensesQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindMedicationAdministrationsQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindPrescriptionsForValidationQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindPrescriptionsForDispenseQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindMedicationListQuery query) {
        unsupported("pharmacy");
    }

    @Override
    public void visit(FindDocumentsByTitleQuery query) {
        unsupported("FindDocumentsByTitle");
    }

    @Override
    public void visit(SubscriptionForDocumentEntryQuery query) {
        unsupported("subscription");
    }

    @Override
    public void visit(SubscriptionForFolderQuery query) {
        unsupported("subscription");
    }

    @Override
    public void visit(SubscriptionForPatientIndependentDocumentEntryQuery query) {
        unsupported("subscription");
    }

    @Override
    public void visit(SubscriptionForSubmissionSetQuery query) {
        unsupported("subscription");
    }

    @Override
    public void visit(SubscriptionForPatientIndependentSubmissionSetQuery query) {
        unsupported("subscription");
    }

    private static void unsupported(String name) {
        throw new XdsException(ErrorCode.UNKNOWN_STORED_QUERY, "stored query " + name + " is not offered by this registry");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The BSN a query is about. A patient id in another assigning authority than the BSN's is taken
     * as a local id (sourcePatientId) and resolved to the BSN it was registered with.
     */
    private String bsn(Identifiable patientId) {
        if (patientId != null && patientId.getAssigningAuthority() != null
                && !Bsn.OID.equals(patientId.getAssigningAuthority().getUniversalId())) {
            List<String> bsns = sql(() -> objects.patientsBySourcePatientId(patientId));
            if (bsns.size() == 1) {
                return bsns.get(0);
            }
            throw new XdsException(ErrorCode.UNKNOWN_PATIENT_ID, bsns.isEmpty()
                    ? "patient id is neither a BSN nor a known local patient id"
                    : "local patient id is registered for more than one patient");
        }
        return PatientIds.bsnOf(patientId).value();
    }

    private static List<AvailabilityStatus> statuses(List<AvailabilityStatus> statuses) {
        return statuses == null ? List.of() : statuses;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static List<DocumentEntry> documents(Collection<XDSMetaClass> objects) {
        return objects.stream().filter(DocumentEntry.class::isInstance).map(DocumentEntry.class::cast).toList();
    }

    private static boolean statusMatches(List<AvailabilityStatus> statuses, Association association) {
        return statuses == null || statuses.isEmpty() || statuses.contains(association.getAvailabilityStatus());
    }

    /** documentAvailability: Online when the attribute is absent (ITI TF-3 4.2.3.2.7). */
    private static DocumentAvailability availabilityOf(DocumentEntry entry) {
        return entry.getDocumentAvailability() == null ? DocumentAvailability.ONLINE : entry.getDocumentAvailability();
    }

    /** $XDSDocumentEntryType: stable only when the parameter is absent. */
    private static boolean entryTypeMatches(List<DocumentEntryType> types, DocumentEntry entry) {
        DocumentEntryType actual = entry.getType() == null ? DocumentEntryType.STABLE : entry.getType();
        return types == null || types.isEmpty() ? actual == DocumentEntryType.STABLE : types.contains(actual);
    }

    private static boolean matches(DocumentsQuery q, DocumentEntry e) {
        return Matching.anyCode(q.getClassCodes(), e.getClassCode())
                && Matching.anyCode(q.getTypeCodes(), e.getTypeCode())
                && Matching.anyCode(q.getPracticeSettingCodes(), e.getPracticeSettingCode())
                && Matching.anyCode(q.getHealthcareFacilityTypeCodes(), e.getHealthcareFacilityTypeCode())
                && Matching.anyCode(q.getFormatCodes(), e.getFormatCode())
                && Matching.codeList(q.getEventCodes(), e.getEventCodeList())
                && Matching.codeList(q.getConfidentialityCodes(), e.getConfidentialityCodes())
                && Matching.authorPerson(q.getAuthorPersons(), e.getAuthors())
                && Matching.inRange(q.getCreationTime(), e.getCreationTime())
                && Matching.inRange(q.getServiceStartTime(), e.getServiceStartTime())
                && Matching.inRange(q.getServiceStopTime(), e.getServiceStopTime());
    }

    private List<DocumentEntry> documentsById(GetByIdQuery query, List<String> logicalUuids) {
        List<XDSMetaClass> found = new ArrayList<>();
        found.addAll(sql(() -> objects.findByUuids(nonNull(query.getUuids()))));
        found.addAll(sql(() -> objects.findByUniqueIds(Kind.DOCUMENT_ENTRY, nonNull(query.getUniqueIds()))));
        found.addAll(sql(() -> objects.findByLogicalIds(nonNull(logicalUuids))));
        return documents(found);
    }

    private XDSMetaClass single(String uuid, String uniqueId, Kind kind) {
        List<XDSMetaClass> found = uuid != null
                ? sql(() -> objects.findByUuids(List.of(uuid)))
                : sql(() -> objects.findByUniqueIds(kind, uniqueId == null ? List.of() : List.of(uniqueId)));
        return found.stream().filter(o -> Kind.of(o) == kind).findFirst().orElse(null);
    }

    private List<String> documentUuids(String uuid, String uniqueId) {
        if (uuid != null) {
            return List.of(uuid);
        }
        return sql(() -> objects.findByUniqueIds(Kind.DOCUMENT_ENTRY, uniqueId == null ? List.of() : List.of(uniqueId)))
                .stream().map(XDSMetaClass::getEntryUuid).toList();
    }

    private void addAssociationsAmongResult(List<AvailabilityStatus> associationStatuses) {
        Set<String> uuids = new HashSet<>(result.uuids());
        if (uuids.isEmpty()) {
            return;
        }
        List<Association> candidates = sql(() -> objects.findAssociationsTouching(uuids)).stream()
                .filter(a -> statusMatches(associationStatuses, a)).toList();
        Set<String> included = new HashSet<>();
        for (Association a : candidates) {
            if (uuids.contains(a.getSourceUuid()) && uuids.contains(a.getTargetUuid())) {
                result.add(a);
                included.add(a.getEntryUuid());
            }
        }
        // a submission set's HasMember of a folder membership it carried targets that association
        for (Association a : candidates) {
            if (uuids.contains(a.getSourceUuid()) && included.contains(a.getTargetUuid())) {
                result.add(a);
            }
        }
    }
}
