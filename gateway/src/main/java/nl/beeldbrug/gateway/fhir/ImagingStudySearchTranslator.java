package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.registry.imaging.StudyAttributes;
import nl.beeldbrug.registry.imaging.StudySearch;
import nl.beeldbrug.registry.patient.Bsn;

import org.hl7.fhir.r4.model.DateTimeType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the FHIR search parameters of ImagingStudy into the registry's {@link StudySearch}. A value
 * the search cannot mean is an {@link InvalidRequestException} (400) naming the parameter, never
 * echoing the value (it may be a BSN). Empty means: valid, but nothing can match (e.g. a status this
 * registry never assigns). Pure.
 */
public final class ImagingStudySearchTranslator {

    public Optional<StudySearch> toSearch(ReferenceParam patient, TokenOrListParam identifier, TokenOrListParam modality,
                                          TokenOrListParam bodySite, DateRangeParam started, TokenOrListParam status,
                                          SortSpec sort) {
        checkSort(sort);
        String bsn = patient == null ? null : bsnOf(patient);
        List<String> uids = new ArrayList<>();
        List<String> accessions = new ArrayList<>();
        if (identifier != null) {
            for (TokenParam token : identifier.getValuesAsQueryTokens()) {
                identifier(token, uids, accessions);
            }
            if (!uids.isEmpty() && !accessions.isEmpty()) {
                throw new InvalidRequestException("identifier: one search names study UIDs or accession numbers, not both");
            }
        }
        List<String> modalities = codes("modality", modality, FhirNaming.DCM);
        List<String> bodySites = codes("bodysite", bodySite, FhirNaming.SNOMED);
        Boolean available = null;
        if (status != null && !status.getValuesAsQueryTokens().isEmpty()) {
            boolean availableWanted = false;
            boolean registeredWanted = false;
            for (TokenParam token : status.getValuesAsQueryTokens()) {
                if (token.getSystem() != null && !token.getSystem().isEmpty()
                        && !FhirNaming.IMAGINGSTUDY_STATUS.equals(token.getSystem())) {
                    throw new InvalidRequestException("status: unknown code system");
                }
                switch (token.getValue() == null ? "" : token.getValue()) {
                    case "available" -> availableWanted = true;
                    case "registered" -> registeredWanted = true;
                    case "cancelled", "entered-in-error", "unknown" -> { } // never assigned here
                    default -> throw new InvalidRequestException("status: not an ImagingStudy status code");
                }
            }
            if (!availableWanted && !registeredWanted) {
                return Optional.empty();
            }
            available = availableWanted && registeredWanted ? null : availableWanted;
        }
        Instant[] bounds = started == null ? new Instant[2] : startedBounds(started);
        Instant from = bounds[0];
        Instant before = bounds[1];
        StudySearch search = new StudySearch(bsn, uids, accessions, modalities, bodySites, from, before, available);
        if (!search.isSelective()) {
            throw new InvalidRequestException("patient or identifier: an ImagingStudy search names a patient or a study");
        }
        return Optional.of(search);
    }

    /**
     * Narrows a search by {@code endpoint}: the one Endpoint ({@code Endpoint/wado-rs}) is the endpoint of
     * every available study, so it means "available"; any other Endpoint id matches nothing (empty).
     */
    public Optional<StudySearch> withEndpoint(StudySearch search, ReferenceOrListParam endpoint) {
        if (endpoint == null || endpoint.getValuesAsQueryTokens().isEmpty()) {
            return Optional.of(search);
        }
        boolean wado = false;
        for (ReferenceParam reference : endpoint.getValuesAsQueryTokens()) {
            if (reference.getChain() != null && !reference.getChain().isEmpty()) {
                throw new InvalidRequestException("endpoint: chains are not supported");
            }
            if (reference.getResourceType() != null && !"Endpoint".equals(reference.getResourceType())) {
                throw new InvalidRequestException("endpoint: must reference an Endpoint");
            }
            String id = reference.getIdPart();
            if (id == null || id.isEmpty()) {
                throw new InvalidRequestException("endpoint: no Endpoint id");
            }
            wado |= FhirNaming.WADO_ENDPOINT_ID.equals(id);
        }
        if (!wado || Boolean.FALSE.equals(search.available())) {
            return Optional.empty();
        }
        return Optional.of(search.withAvailable(true));
    }

    /**
     * {@code [from (inclusive), before (exclusive)]} of a date range, each null when open. A value
     * stands for its whole period (a day, a month, a second): {@code ge} its start, {@code gt} and
     * {@code le} its end, {@code lt} its start, {@code eq} both. Dates without a time are UTC days.
     * (HAPI's own {@code getUpperBoundAsInstant} lets {@code lt}/{@code le} reach into the next day.)
     */
    static Instant[] startedBounds(DateRangeParam range) {
        Instant from = null;
        Instant before = null;
        for (DateParam param : range.getValuesAsQueryTokens()) {
            Instant start;
            Instant end;
            try {
                DateTimeType value = new DateTimeType(param.getValueAsString());
                start = startOf(value);
                end = endOf(start, value.getPrecision());
            } catch (RuntimeException e) {
                throw new InvalidRequestException("started: not a FHIR date or dateTime");
            }
            ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
            switch (prefix) {
                case GREATERTHAN_OR_EQUALS -> from = later(from, start);
                case GREATERTHAN, STARTS_AFTER -> from = later(from, end);
                case LESSTHAN, ENDS_BEFORE -> before = earlier(before, start);
                case LESSTHAN_OR_EQUALS -> before = earlier(before, end);
                case EQUAL -> {
                    from = later(from, start);
                    before = earlier(before, end);
                }
                default -> throw new InvalidRequestException("started: prefix " + prefix.getValue() + " is not supported");
            }
        }
        return new Instant[]{from, before};
    }

    private static Instant startOf(DateTimeType value) {
        TemporalPrecisionEnum precision = value.getPrecision();
        if (precision.ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            int month = precision == TemporalPrecisionEnum.YEAR ? 1 : value.getMonth() + 1;
            int day = precision == TemporalPrecisionEnum.DAY ? value.getDay() : 1;
            return LocalDate.of(value.getYear(), month, day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return value.getValue().toInstant();
    }

    private static Instant endOf(Instant start, TemporalPrecisionEnum precision) {
        return switch (precision) {
            case YEAR -> start.atZone(ZoneOffset.UTC).plusYears(1).toInstant();
            case MONTH -> start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
            case DAY -> start.plus(1, ChronoUnit.DAYS);
            case MINUTE -> start.plus(1, ChronoUnit.MINUTES);
            case SECOND -> start.plus(1, ChronoUnit.SECONDS);
            case MILLI -> start.plus(1, ChronoUnit.MILLIS);
        };
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /** Only newest-first (the timeline's order) is supported. */
    static void checkSort(SortSpec sort) {
        if (sort == null) {
            return;
        }
        if (!"started".equals(sort.getParamName()) || sort.getOrder() != SortOrderEnum.DESC || sort.getChain() != null) {
            throw new InvalidRequestException("_sort: only -started is supported");
        }
    }

    /**
     * {@code Patient/<bsn>}, {@code <bsn>}, or the BSN as identifier: {@code patient:identifier=system|bsn},
     * {@code patient.identifier=system|bsn} or {@code patient=system|bsn}.
     */
    public static String bsnOf(ReferenceParam patient) {
        String candidate;
        String chain = patient.getChain();
        String value = patient.getValue();
        if ("identifier".equals(chain) || ":identifier".equals(patient.getQueryParameterQualifier())
                || (value != null && value.contains("|"))) {
            int bar = value == null ? -1 : value.indexOf('|');
            String system = bar < 0 ? "" : value.substring(0, bar);
            if (bar >= 0 && !system.isEmpty() && !FhirNaming.BSN.equals(system)) {
                throw new InvalidRequestException("patient: the identifier system must be " + FhirNaming.BSN);
            }
            candidate = bar < 0 ? value : value.substring(bar + 1);
        } else if (chain != null && !chain.isEmpty()) {
            throw new InvalidRequestException("patient: unsupported chain");
        } else {
            if (patient.getResourceType() != null && !"Patient".equals(patient.getResourceType())) {
                throw new InvalidRequestException("patient: must reference a Patient");
            }
            candidate = patient.getIdPart();
        }
        if (!Bsn.isValid(candidate)) {
            throw new InvalidRequestException("patient: not a valid BSN");
        }
        return candidate;
    }

    private static void identifier(TokenParam token, List<String> uids, List<String> accessions) {
        String system = token.getSystem() == null ? "" : token.getSystem();
        String value = token.getValue() == null ? "" : token.getValue();
        if (value.isEmpty()) {
            throw new InvalidRequestException("identifier: no value");
        }
        if (FhirNaming.DICOM_UID.equals(system)) {
            if (!value.startsWith("urn:oid:")) {
                throw new InvalidRequestException("identifier: a DICOM UID is given as urn:oid:<uid>");
            }
            uids.add(value.substring("urn:oid:".length()));
        } else if (system.isEmpty()) {
            if (value.startsWith("urn:oid:")) {
                uids.add(value.substring("urn:oid:".length()));
            } else {
                accessions.add(value);
            }
        } else if (system.startsWith("urn:oid:")) {
            accessions.add(StudyAttributes.accessionKey(system.substring("urn:oid:".length()), value));
        } else {
            throw new InvalidRequestException("identifier: unknown identifier system");
        }
    }

    private static List<String> codes(String parameter, TokenOrListParam tokens, String system) {
        List<String> codes = new ArrayList<>();
        if (tokens == null) {
            return codes;
        }
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            if (token.getModifier() != null) {
                throw new InvalidRequestException(parameter + ": modifiers are not supported");
            }
            if (token.getSystem() != null && !token.getSystem().isEmpty() && !system.equals(token.getSystem())) {
                throw new InvalidRequestException(parameter + ": the code system must be " + system);
            }
            if (token.getValue() == null || token.getValue().isEmpty()) {
                throw new InvalidRequestException(parameter + ": no code");
            }
            codes.add(token.getValue());
        }
        return codes;
    }
}
