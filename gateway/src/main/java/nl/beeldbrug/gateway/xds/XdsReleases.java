package nl.beeldbrug.gateway.xds;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.imaging.StudyAttributes;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.ReleaseFilter;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * The consent decision for the XDS release points (ITI-18, ITI-43): a {@link ReleaseFilter} for the SOAP call
 * being answered, deciding with the {@link ReleaseGuard} for its requester ({@link Requesters}) and logging each
 * decision in the call's {@link ReleaseLog} for its audit record. A document entry is judged as
 * {@link DataClass#IMAGING_STUDY} (a KOS manifest) or {@link DataClass#REPORT}, keyed by the Study Instance UID of
 * its referenceIdList (its uniqueId when it names no study), held by the URA of its author institution. Outside a
 * SOAP call, or for an entry without a BSN, nothing is released (fail closed).
 */
@Component
public class XdsReleases {

    private final ReleaseGuard guard;
    private final Requesters requesters;

    public XdsReleases(ReleaseGuard guard, Requesters requesters) {
        this.guard = guard;
        this.requesters = requesters;
    }

    /** The filter of the current SOAP call. */
    public ReleaseFilter forCurrentCall() {
        Optional<HttpServletRequest> request = SoapRequests.current();
        if (request.isEmpty()) {
            return entries -> List.of();
        }
        RequestContext context = requesters.of(request.get());
        ReleaseLog log = ReleaseLog.of(request.get());
        return entries -> guard.permitted(context, entries.stream().filter(e -> bsnOf(e) != null).toList(),
                this::metadata, log);
    }

    ResourceMetadata metadata(DocumentEntry entry) {
        StudyAttributes study = StudyAttributes.of(entry);
        String key = study.belongsToStudy() ? study.studyInstanceUid() : entry.getUniqueId();
        DataClass dataClass = StudyAttributes.isManifest(entry) ? DataClass.IMAGING_STUDY : DataClass.REPORT;
        return guard.metadata(bsnOf(entry), key, dataClass, holderUra(entry));
    }

    private static String bsnOf(DocumentEntry entry) {
        Identifiable id = entry.getPatientId();
        if (id == null || id.getAssigningAuthority() == null || !Bsn.OID.equals(id.getAssigningAuthority().getUniversalId())) {
            return null;
        }
        return Bsn.parse(id.getId()).map(Bsn::value).orElse(null);
    }

    /** The URA of the first author institution identified in the URA system, or null. */
    static String holderUra(DocumentEntry entry) {
        for (Author author : entry.getAuthors()) {
            for (Organization institution : author.getAuthorInstitution()) {
                if (institution.getAssigningAuthority() != null
                        && Ura.OID.equals(institution.getAssigningAuthority().getUniversalId())) {
                    return institution.getIdNumber();
                }
            }
        }
        return null;
    }
}
