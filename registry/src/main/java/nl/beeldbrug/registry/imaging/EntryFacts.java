package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a study summary ({@link StudySummaryBuilder}) takes from one DocumentEntry. A search reads these straight from
 * the stored metadata ({@link EntryFactsReader}) instead of building IPF's model of the whole entry; {@link #of}
 * takes them from the model. Both give equal facts for the same stored entry.
 *
 * @param manifest     a KOS manifest: its formatCode ends in {@value StudyAttributes#KOS_SOP_CLASS}
 * @param serviceStart its serviceStartTime, or null
 * @param accessions   the accession numbers of its referenceIdList that are not empty, in order
 * @param eventCodes   its eventCodeList, in order
 * @param institution  the first author institution (authors in order) with a name or a URA, or null
 */
public record EntryFacts(String entryUuid, String uniqueId, String repositoryUniqueId, String mimeType, String title,
                         boolean manifest, Instant serviceStart, List<Accession> accessions, List<CodedValue> eventCodes,
                         Organisation institution) {

    public EntryFacts {
        accessions = List.copyOf(accessions);
        eventCodes = List.copyOf(eventCodes);
    }

    /** The facts of an entry of IPF's model. */
    public static EntryFacts of(DocumentEntry entry) {
        List<Accession> accessions = new ArrayList<>();
        for (ReferenceId ref : entry.getReferenceIdList()) {
            if (StudyAttributes.ACCESSION_TYPE.equals(ref.getIdTypeCode()) && ref.getId() != null && !ref.getId().isEmpty()) {
                accessions.add(new Accession(ref.getId(),
                        ref.getAssigningAuthority() == null ? null : ref.getAssigningAuthority().getUniversalId()));
            }
        }
        List<CodedValue> codes = new ArrayList<>();
        for (Code code : entry.getEventCodeList()) {
            codes.add(new CodedValue(code.getCode(), code.getSchemeName(),
                    code.getDisplayName() == null ? null : code.getDisplayName().getValue()));
        }
        Instant start = entry.getServiceStartTime() == null || entry.getServiceStartTime().getDateTime() == null
                ? null : entry.getServiceStartTime().getDateTime().toInstant();
        return new EntryFacts(entry.getEntryUuid(), entry.getUniqueId(), entry.getRepositoryUniqueId(), entry.getMimeType(),
                entry.getTitle() == null ? null : entry.getTitle().getValue(), StudyAttributes.isManifest(entry), start,
                accessions, codes, institution(entry));
    }

    private static Organisation institution(DocumentEntry entry) {
        for (Author author : entry.getAuthors()) {
            for (Organization organization : author.getAuthorInstitution()) {
                Organisation found = institution(organization.getOrganizationName(), organization.getIdNumber(),
                        organization.getAssigningAuthority() == null ? null
                                : organization.getAssigningAuthority().getUniversalId());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** An author institution as the summary names it: null when it has neither a name nor a URA. */
    static Organisation institution(String name, String idNumber, String authority) {
        String ura = StudySummaryBuilder.URA_OID.equals(authority) ? idNumber : null;
        return name != null || ura != null ? new Organisation(name, ura) : null;
    }
}
