package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.ImagingStudySearchTranslator;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.registry.patient.Bsn;
import org.hl7.fhir.r4.model.DateTimeType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.TimeRange;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * FHIR search parameter values → XDS stored query values, for ITI-66 and ITI-67. Errors name the
 * parameter and never echo its value (it may be a BSN).
 */
final class MhdSearchParams {

    private MhdSearchParams() {
    }

    /**
     * The patient of {@code patient} / {@code patient.identifier}: {@code Patient/<bsn>}, {@code <bsn>},
     * or the BSN identifier {@code http://fhir.nl/fhir/NamingSystem/bsn|<bsn>}.
     */
    static Bsn patient(ReferenceParam patient) {
        if (patient == null) {
            throw new InvalidRequestException("patient or patient.identifier: required");
        }
        return Bsn.parse(ImagingStudySearchTranslator.bsnOf(patient)).orElseThrow();
    }

    /** Token codes ({@code system|code}, system required) as XDS codes; null when the parameter is absent. */
    static List<Code> codes(String name, TokenOrListParam tokens) {
        if (tokens == null || tokens.getValuesAsQueryTokens().isEmpty()) {
            return null;
        }
        List<Code> codes = new ArrayList<>();
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            codes.add(code(name, token));
        }
        return codes;
    }

    /** AND of ORs (eventCode, confidentialityCode); null when absent. */
    static QueryList<Code> codeLists(String name, TokenAndListParam tokens) {
        if (tokens == null || tokens.getValuesAsQueryTokens().isEmpty()) {
            return null;
        }
        QueryList<Code> list = new QueryList<>();
        for (TokenOrListParam or : tokens.getValuesAsQueryTokens()) {
            list.getOuterList().add(codes(name, or));
        }
        return list;
    }

    private static Code code(String name, TokenParam token) {
        if (token.getModifier() != null) {
            throw new InvalidRequestException(name + ": modifiers are not supported");
        }
        if (token.getSystem() == null || token.getSystem().isEmpty() || token.getValue() == null || token.getValue().isEmpty()) {
            throw new InvalidRequestException(name + ": give the code as system|code");
        }
        return new Code(token.getValue(), null, XdsFhirTypes.schemeOfSystem(token.getSystem()));
    }

    /**
     * A date range as [from, before): every value stands for its whole period (a day, a second…);
     * ge its start, gt and le its end, lt its start, eq both. Dates without a time are UTC days.
     */
    static Instant[] bounds(String name, DateRangeParam range) {
        Instant from = null;
        Instant before = null;
        if (range == null) {
            return new Instant[]{null, null};
        }
        for (DateParam param : range.getValuesAsQueryTokens()) {
            Instant start;
            Instant end;
            try {
                DateTimeType value = new DateTimeType(param.getValueAsString());
                start = startOf(value);
                end = endOf(start, value.getPrecision());
            } catch (RuntimeException e) {
                throw new InvalidRequestException(name + ": not a FHIR date or dateTime");
            }
            ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
            switch (prefix) {
                case GREATERTHAN_OR_EQUALS -> from = max(from, start);
                case GREATERTHAN, STARTS_AFTER -> from = max(from, end);
                case LESSTHAN, ENDS_BEFORE -> before = min(before, start);
                case LESSTHAN_OR_EQUALS -> before = min(before, end);
                case EQUAL -> {
                    from = max(from, start);
                    before = min(before, end);
                }
                default -> throw new InvalidRequestException(name + ": prefix " + prefix.getValue() + " is not supported");
            }
        }
        return new Instant[]{from, before};
    }

    /** XDS time ranges are [from, to): exactly {@link #bounds}. */
    static void apply(Instant from, Instant before, TimeRange range) {
        if (from != null) {
            range.setFrom(timestamp(from));
        }
        if (before != null) {
            range.setTo(timestamp(before));
        }
    }

    private static Timestamp timestamp(Instant instant) {
        // XDS times have at most second precision: round a bound with milliseconds up
        Instant seconds = instant.getNano() == 0 ? instant : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        return new Timestamp(seconds.atZone(ZoneOffset.UTC), Timestamp.Precision.SECOND);
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
            case DAY -> start.plusSeconds(86400);
            case MINUTE -> start.plusSeconds(60);
            case SECOND -> start.plusSeconds(1);
            case MILLI -> start.plusMillis(1);
        };
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
