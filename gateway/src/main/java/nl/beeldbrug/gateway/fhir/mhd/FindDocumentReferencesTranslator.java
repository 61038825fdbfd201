package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.PatientIds;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsByReferenceIdQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.StoredQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * ITI-67 Find Document References → ITI-18 stored query (MHD 4.2.1 2:3.67.4.1.2 with the XDS
 * mapping of its parameters):
 * <table>
 *   <tr><td>patient, patient.identifier</td><td>$XDSDocumentEntryPatientId (the BSN)</td></tr>
 *   <tr><td>status (current, superseded)</td><td>$XDSDocumentEntryStatus (Approved, Deprecated); absent: both</td></tr>
 *   <tr><td>creation, date</td><td>$XDSDocumentEntryCreationTimeFrom/To</td></tr>
 *   <tr><td>period</td><td>ge/gt → $XDSDocumentEntryServiceStopTimeFrom, le/lt → $XDSDocumentEntryServiceStartTimeTo</td></tr>
 *   <tr><td>category, type, setting, facility, format</td><td>class, type, practiceSetting, healthcareFacilityType, format codes</td></tr>
 *   <tr><td>event, security-label</td><td>$XDSDocumentEntryEventCodeList, $XDSDocumentEntryConfidentialityCode (AND of ORs)</td></tr>
 *   <tr><td>author.family, author.given</td><td>$XDSDocumentEntryAuthorPerson as LIKE pattern {@code %^family^given%}</td></tr>
 *   <tr><td>related</td><td>FindDocumentsByReferenceId: {@code ImagingStudy/<uid>} or {@code urn:dicom:uid|urn:oid:<uid>} (Study
 *   Instance UID), {@code urn:oid:<issuer>|<accession>} (accession number)</td></tr>
 *   <tr><td>identifier, _id</td><td>GetDocuments by entryUUID ({@code urn:uuid:}) or uniqueId ({@code urn:oid:} or plain)</td></tr>
 * </table>
 */
final class FindDocumentReferencesTranslator {

    /**
     * @param query   the stored query, or null when nothing can match (only statuses XDS does not have)
     * @param patient the patient the results must belong to (null: any, for an identifier search)
     * @param status  the statuses the results must have
     */
    record Search(StoredQuery query, Bsn patient, List<AvailabilityStatus> status) {
    }

    Search translate(ReferenceParam patient, TokenOrListParam status, TokenOrListParam identifier, TokenParam id,
                     DateRangeParam creation, DateRangeParam date, DateRangeParam period,
                     TokenOrListParam category, TokenOrListParam type, TokenOrListParam setting, TokenOrListParam facility,
                     TokenOrListParam format, TokenAndListParam event, TokenAndListParam securityLabel,
                     ReferenceAndListParam author, ReferenceOrListParam related) {
        List<AvailabilityStatus> statuses = statuses(status);
        if (identifier != null || id != null) {
            Bsn bsn = patient == null ? null : MhdSearchParams.patient(patient);
            return new Search(statuses.isEmpty() ? null : byIdentifier(identifier, id), bsn, statuses);
        }
        Bsn bsn = MhdSearchParams.patient(patient);
        if (statuses.isEmpty()) {
            return new Search(null, bsn, statuses);
        }
        FindDocumentsQuery query = related == null ? new FindDocumentsQuery() : byReference(related);
        query.setPatientId(PatientIds.of(bsn));
        query.setStatus(statuses);
        if (creation != null && date != null) {
            throw new InvalidRequestException("creation and date: give one of them (both mean creationTime)");
        }
        Instant[] created = MhdSearchParams.bounds(creation != null ? "creation" : "date", creation != null ? creation : date);
        MhdSearchParams.apply(created[0], created[1], query.getCreationTime());
        Instant[] service = MhdSearchParams.bounds("period", period);
        MhdSearchParams.apply(service[0], null, query.getServiceStopTime());
        MhdSearchParams.apply(null, service[1], query.getServiceStartTime());
        query.setClassCodes(MhdSearchParams.codes("category", category));
        query.setTypeCodes(MhdSearchParams.codes("type", type));
        query.setPracticeSettingCodes(MhdSearchParams.codes("setting", setting));
        query.setHealthcareFacilityTypeCodes(MhdSearchParams.codes("facility", facility));
        query.setFormatCodes(MhdSearchParams.codes("format", format));
        query.setEventCodes(MhdSearchParams.codeLists("event", event));
        query.setConfidentialityCodes(MhdSearchParams.codeLists("security-label", securityLabel));
        query.setAuthorPersons(authorPatterns(author));
        return new Search(query, bsn, statuses);
    }

    /** An empty list when the status parameter only names statuses XDS does not have (e.g. entered-in-error). */
    private static List<AvailabilityStatus> statuses(TokenOrListParam status) {
        if (status == null) {
            return List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED);
        }
        List<AvailabilityStatus> statuses = new ArrayList<>();
        for (TokenParam token : status.getValuesAsQueryTokens()) {
            switch (token.getValue() == null ? "" : token.getValue()) {
                case "current" -> statuses.add(AvailabilityStatus.APPROVED);
                case "superseded" -> statuses.add(AvailabilityStatus.DEPRECATED);
                case "entered-in-error" -> { }
                default -> throw new InvalidRequestException("status: current, superseded or entered-in-error");
            }
        }
        return statuses;
    }

    private static GetDocumentsQuery byIdentifier(TokenOrListParam identifier, TokenParam id) {
        List<String> uuids = new ArrayList<>();
        List<String> uniqueIds = new ArrayList<>();
        if (id != null) {
            uuids.add(MhdNaming.URN_UUID + id.getValue());
        }
        if (identifier != null) {
            for (TokenParam token : identifier.getValuesAsQueryTokens()) {
                String value = token.getValue();
                if (value == null || value.isEmpty()) {
                    throw new InvalidRequestException("identifier: a value is required");
                }
                if (value.startsWith(MhdNaming.URN_UUID)) {
                    uuids.add(value);
                } else {
                    uniqueIds.add(XdsFhirTypes.uniqueIdOf(value));
                }
            }
        }
        if (!uuids.isEmpty() && !uniqueIds.isEmpty()) {
            throw new InvalidRequestException("identifier: give entryUUIDs (urn:uuid:) or uniqueIds, not both");
        }
        GetDocumentsQuery query = new GetDocumentsQuery();
        if (uuids.isEmpty()) {
            query.setUniqueIds(uniqueIds);
        } else {
            query.setUuids(uuids);
        }
        return query;
    }

    private static FindDocumentsByReferenceIdQuery byReference(ReferenceOrListParam related) {
        List<ReferenceId> ids = new ArrayList<>();
        for (ReferenceParam param : related.getValuesAsQueryTokens()) {
            String value = param.getValue();
            boolean identifier = "identifier".equals(param.getChain()) || ":identifier".equals(param.getQueryParameterQualifier())
                    || (value != null && value.contains("|"));
            if (!identifier) {
                if (!"ImagingStudy".equals(param.getResourceType()) || !XdsFhirTypes.isOid(param.getIdPart())) {
                    throw new InvalidRequestException("related: ImagingStudy/<Study Instance UID> or an identifier system|value");
                }
                ids.add(new ReferenceId(param.getIdPart(), null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
                continue;
            }
            int bar = value == null ? -1 : value.indexOf('|');
            String system = bar < 0 ? null : value.substring(0, bar);
            String code = bar < 0 ? value : value.substring(bar + 1);
            if (system == null || system.isEmpty() || code == null || code.isEmpty()) {
                throw new InvalidRequestException("related.identifier: give system|value");
            }
            if (FhirNaming.DICOM_UID.equals(system)) {
                ids.add(new ReferenceId(XdsFhirTypes.uniqueIdOf(code), null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
            } else {
                ids.add(new ReferenceId(code, new CXiAssigningAuthority(null, XdsFhirTypes.uniqueIdOf(system), "ISO"),
                        ReferenceId.ID_TYPE_CODE_ACCESSION));
            }
        }
        FindDocumentsByReferenceIdQuery query = new FindDocumentsByReferenceIdQuery();
        QueryList<ReferenceId> list = new QueryList<>();
        list.getOuterList().add(ids);
        query.setTypedReferenceIds(list);
        return query;
    }

    private static List<String> authorPatterns(ReferenceAndListParam author) {
        if (author == null) {
            return null;
        }
        String family = null;
        String given = null;
        for (ReferenceOrListParam or : author.getValuesAsQueryTokens()) {
            for (ReferenceParam param : or.getValuesAsQueryTokens()) {
                String value = param.getValue();
                if (value == null || value.isEmpty() || value.contains("^") || value.contains("%") || value.contains("_")) {
                    throw new InvalidRequestException("author." + param.getChain() + ": a plain name is required");
                }
                switch (param.getChain() == null ? "" : param.getChain()) {
                    case "family" -> family = value;
                    case "given" -> given = value;
                    default -> throw new InvalidRequestException("author: only author.family and author.given are supported");
                }
            }
        }
        if (family != null && given != null) {
            return List.of("%^" + family + "^" + given + "^%");
        }
        return List.of(family != null ? "%^" + family + "^%" : "%^%^" + given + "^%");
    }
}
