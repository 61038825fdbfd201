package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds the DocumentEntries of one study (their {@link EntryFacts}, newest registered first) into its
 * {@link ImagingStudySummary}.
 * Series and instances: the union of the series the manifests reference (a series referenced by two
 * manifests counts once, with the larger of their instance counts), known only when every manifest's
 * content was read. Pure.
 */
public final class StudySummaryBuilder {

    /** Assigning authority of URA numbers (UZI register, care organisations). */
    public static final String URA_OID = "2.16.528.1.1007.3.3";

    private StudySummaryBuilder() {
    }

    /**
     * @param entries          the study's entries, newest registered first ({@link EntryFacts#of} for IPF's model)
     * @param manifestContents what the content of each manifest references, by entryUUID; a manifest
     *                         missing here makes the study's series and instances unknown
     */
    public static ImagingStudySummary summarise(String studyInstanceUid, String patientBsn, List<EntryFacts> entries,
                                                Map<String, ManifestContents> manifestContents) {
        LinkedHashSet<Accession> accessions = new LinkedHashSet<>();
        Map<String, CodedValue> modalities = new TreeMap<>();
        Map<String, CodedValue> bodySites = new TreeMap<>();
        List<StudyDocument> manifests = new ArrayList<>();
        List<StudyDocument> reports = new ArrayList<>();
        Instant started = null;
        String description = null;
        Organisation manifestPerformer = null;
        Organisation reportPerformer = null;
        Map<String, Integer> series = new LinkedHashMap<>();
        boolean contentsKnown = true;
        for (EntryFacts entry : entries) {
            accessions.addAll(entry.accessions());
            for (CodedValue code : entry.eventCodes()) {
                if (StudyAttributes.DCM.equals(code.schemeOid())) {
                    modalities.putIfAbsent(code.code(), code);
                } else if (StudyAttributes.SNOMED.equals(code.schemeOid())) {
                    bodySites.putIfAbsent(code.code(), code);
                }
            }
            if (entry.serviceStart() != null && (started == null || entry.serviceStart().isBefore(started))) {
                started = entry.serviceStart();
            }
            StudyDocument document = new StudyDocument(entry.entryUuid(), entry.uniqueId(), entry.repositoryUniqueId(),
                    entry.mimeType(), entry.title());
            if (entry.manifest()) {
                manifests.add(document);
                ManifestContents contents = manifestContents.get(entry.entryUuid());
                if (contents == null) {
                    contentsKnown = false;
                } else {
                    contents.series().forEach(s -> series.merge(s.uid(), s.instances(), Math::max));
                }
                if (description == null && document.title() != null) {
                    description = document.title();
                }
                if (manifestPerformer == null) {
                    manifestPerformer = entry.institution();
                }
            } else {
                reports.add(document);
                if (reportPerformer == null) {
                    reportPerformer = entry.institution();
                }
            }
        }
        return new ImagingStudySummary(studyInstanceUid, patientBsn, List.copyOf(accessions),
                List.copyOf(modalities.values()), List.copyOf(bodySites.values()), started, description,
                manifestPerformer != null ? manifestPerformer : reportPerformer, manifests, reports,
                contentsKnown && !manifests.isEmpty() ? new ManifestContents(series.entrySet().stream()
                        .map(e -> new ManifestContents.Series(e.getKey(), e.getValue())).toList()) : null);
    }

    /**
     * The URA of the entry's first author institution issued by the URA register (any author, in order), or null: the
     * {@code registry_object.author_ura} column.
     */
    public static String authorUra(DocumentEntry entry) {
        for (Author author : entry.getAuthors()) {
            for (Organization organization : author.getAuthorInstitution()) {
                if (organization.getAssigningAuthority() != null
                        && URA_OID.equals(organization.getAssigningAuthority().getUniversalId())) {
                    return organization.getIdNumber();
                }
            }
        }
        return null;
    }
}
