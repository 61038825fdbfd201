package nl.beeldbrug.registry.xds.query;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.TimeRange;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static nl.beeldbrug.registry.testing.SampleMetadata.CONFIDENTIALITY_NORMAL;
import static nl.beeldbrug.registry.testing.SampleMetadata.CONFIDENTIALITY_RESTRICTED;
import static nl.beeldbrug.registry.testing.SampleMetadata.DCM;
import static nl.beeldbrug.registry.testing.SampleMetadata.MODALITY_CT;
import static nl.beeldbrug.registry.testing.SampleMetadata.MODALITY_MR;
import static nl.beeldbrug.registry.testing.SampleMetadata.REGION_CHEST;
import static nl.beeldbrug.registry.testing.SampleMetadata.REGION_HEAD;
import static nl.beeldbrug.registry.testing.SampleMetadata.radiologist;
import static nl.beeldbrug.registry.testing.SampleMetadata.studyReference;
import static org.assertj.core.api.Assertions.assertThat;

class MatchingTest {

    private static Code code(String code, String scheme) {
        return new Code(code, null, scheme);
    }

    @SafeVarargs
    private static QueryList<Code> andOf(List<Code>... orLists) {
        QueryList<Code> list = new QueryList<>();
        for (List<Code> or : orLists) {
            list.getOuterList().add(or);
        }
        return list;
    }

    @Nested
    class Codes {

        @Test
        void absentParameterMatchesEverythingEvenAMissingAttribute() {
            assertThat(Matching.anyCode(null, MODALITY_CT)).isTrue();
            assertThat(Matching.anyCode(List.of(), null)).isTrue();
        }

        @Test
        void codeAndSchemeMustBothBeEqual() {
            assertThat(Matching.anyCode(List.of(code("CT", DCM)), MODALITY_CT)).isTrue();
            assertThat(Matching.anyCode(List.of(code("CT", "2.16.840.1.113883.6.96")), MODALITY_CT)).isFalse();
            assertThat(Matching.anyCode(List.of(code("MR", DCM)), MODALITY_CT)).isFalse();
            assertThat(Matching.anyCode(List.of(code("ct", DCM)), MODALITY_CT)).as("codes are case sensitive").isFalse();
        }

        @Test
        void displayNameDoesNotTakePart() {
            assertThat(Matching.anyCode(List.of(code("CT", DCM)), MODALITY_CT)).isTrue();
        }

        @Test
        void valuesOfOneParameterAreOred() {
            assertThat(Matching.anyCode(List.of(code("MR", DCM), code("CT", DCM)), MODALITY_CT)).isTrue();
        }

        @Test
        void presentParameterNeverMatchesAMissingAttribute() {
            assertThat(Matching.anyCode(List.of(code("CT", DCM)), null)).isFalse();
            assertThat(Matching.codeList(andOf(List.of(MODALITY_CT)), List.of())).isFalse();
        }

        @Test
        void codeListIsAndOfOrs() {
            List<Code> ctChest = List.of(MODALITY_CT, REGION_CHEST);
            // (CT or MR) and (chest)
            assertThat(Matching.codeList(andOf(List.of(MODALITY_CT, MODALITY_MR), List.of(REGION_CHEST)), ctChest)).isTrue();
            // (MR) and (chest): MR missing
            assertThat(Matching.codeList(andOf(List.of(MODALITY_MR), List.of(REGION_CHEST)), ctChest)).isFalse();
            // (CT) and (head): head missing
            assertThat(Matching.codeList(andOf(List.of(MODALITY_CT), List.of(REGION_HEAD)), ctChest)).isFalse();
            // one OR-list: any of the values
            assertThat(Matching.codeList(andOf(List.of(REGION_HEAD, REGION_CHEST)), ctChest)).isTrue();
            assertThat(Matching.codeList(new QueryList<>(), ctChest)).isTrue();
            assertThat(Matching.codeList(null, ctChest)).isTrue();
        }

        @Test
        void confidentialityCodesMatchAnyOfTheEntrysCodes() {
            assertThat(Matching.codeList(new QueryList<>(CONFIDENTIALITY_RESTRICTED),
                    List.of(CONFIDENTIALITY_NORMAL, CONFIDENTIALITY_RESTRICTED))).isTrue();
            assertThat(Matching.codeList(new QueryList<>(CONFIDENTIALITY_RESTRICTED), List.of(CONFIDENTIALITY_NORMAL))).isFalse();
        }
    }

    @Nested
    class TimeRanges {

        private final ZonedDateTime t = ZonedDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

        private Timestamp ts(ZonedDateTime dateTime) {
            return new Timestamp(dateTime, Timestamp.Precision.SECOND);
        }

        private TimeRange range(ZonedDateTime from, ZonedDateTime to) {
            TimeRange range = new TimeRange();
            if (from != null) {
                range.setFrom(ts(from));
            }
            if (to != null) {
                range.setTo(ts(to));
            }
            return range;
        }

        @Test
        void fromIsInclusive() {
            assertThat(Matching.inRange(range(t, null), ts(t))).isTrue();
            assertThat(Matching.inRange(range(t, null), ts(t.minusSeconds(1)))).isFalse();
            assertThat(Matching.inRange(range(t, null), ts(t.plusSeconds(1)))).isTrue();
        }

        @Test
        void toIsExclusive() {
            assertThat(Matching.inRange(range(null, t), ts(t))).isFalse();
            assertThat(Matching.inRange(range(null, t), ts(t.minusSeconds(1)))).isTrue();
        }

        @Test
        void bothBounds() {
            TimeRange day = range(t, t.plusDays(1));
            assertThat(Matching.inRange(day, ts(t.plusHours(5)))).isTrue();
            assertThat(Matching.inRange(day, ts(t.plusDays(1)))).isFalse();
            assertThat(Matching.inRange(day, ts(t.minusNanos(1).withNano(0)))).isFalse();
        }

        @Test
        void comparesInstantsAcrossTimeZones() {
            // 11:00 in Amsterdam (CET, +01:00) is 10:00 UTC
            ZonedDateTime amsterdam = ZonedDateTime.of(2024, 3, 1, 11, 0, 0, 0, ZoneOffset.ofHours(1));
            assertThat(Matching.inRange(range(t, t.plusSeconds(1)), ts(amsterdam))).isTrue();
        }

        @Test
        void absentRangeMatchesEverythingAndPresentRangeNeverAMissingTime() {
            assertThat(Matching.inRange(null, null)).isTrue();
            assertThat(Matching.inRange(new TimeRange(), null)).isTrue();
            assertThat(Matching.inRange(range(t, null), null)).isFalse();
        }
    }

    @Nested
    class LikePatterns {

        @Test
        void percentMatchesAnyRunAndUnderscoreOneCharacter() {
            assertThat(Matching.like("%Jansen%", "R1^Jansen^Pieter")).isTrue();
            assertThat(Matching.like("%Jans_n%", "R1^Jansen^Pieter")).isTrue();
            assertThat(Matching.like("%Jans_n%", "R1^Jansn^Pieter")).isFalse();
            assertThat(Matching.like("Jansen", "R1^Jansen^Pieter")).as("without % the whole value must match").isFalse();
            assertThat(Matching.like("%", "")).isTrue();
        }

        @Test
        void everythingElseIsLiteral() {
            assertThat(Matching.like("%J.nsen%", "^Jansen^")).as("a regex dot is literal").isFalse();
            assertThat(Matching.like("%(a+)%", "x(a+)y")).isTrue();
            assertThat(Matching.like("%\\E.*%", "anything")).isFalse();
        }

        @Test
        void authorPersonMatchesAnyAuthorWithAnyPattern() {
            List<Author> authors = List.of(radiologist("Jansen", "Pieter"), radiologist("de Vries", "Eva"));
            assertThat(Matching.authorPerson(List.of("%Vries%"), authors)).isTrue();
            assertThat(Matching.authorPerson(List.of("%Bakker%", "%Jansen^Pieter%"), authors)).isTrue();
            assertThat(Matching.authorPerson(List.of("%Bakker%"), authors)).isFalse();
            assertThat(Matching.authorPerson(List.of("%Jansen%"), List.of())).isFalse();
            assertThat(Matching.authorPerson(null, List.of())).isTrue();
        }

        @Test
        void authorPersonIsMatchedOnTheRenderedXcn() {
            Author author = radiologist("Jansen", "Pieter");
            String rendered = Hl7v2Based.render(author.getAuthorPerson());
            assertThat(Matching.authorPerson(List.of(rendered), List.of(author))).isTrue();
        }
    }

    @Nested
    class ReferenceIds {

        private final String study = "1.2.840.113619.2.55.3.1234";
        private final List<String> actual = List.of(
                Hl7v2Based.render(studyReference(study)),
                "ACC42^^^&2.16.528.1.1007.99.217.4&ISO^urn:ihe:iti:xds:2013:accession");

        @Test
        void theStudyInstanceUidIsRenderedAsCxi() {
            assertThat(actual.get(0)).isEqualTo(study + "^^^^urn:ihe:iti:xds:2013:uniqueId");
        }

        @Test
        void matchesAnExactCxiValue() {
            assertThat(Matching.referenceIds(new QueryList<>(study + "^^^^urn:ihe:iti:xds:2013:uniqueId"), actual)).isTrue();
            assertThat(Matching.referenceIds(new QueryList<>(
                    "ACC42^^^&2.16.528.1.1007.99.217.4&ISO^urn:ihe:iti:xds:2013:accession"), actual)).isTrue();
        }

        @Test
        void otherIdOrOtherTypeDoesNotMatch() {
            assertThat(Matching.referenceIds(new QueryList<>(study + ".9^^^^urn:ihe:iti:xds:2013:uniqueId"), actual)).isFalse();
            assertThat(Matching.referenceIds(new QueryList<>(study + "^^^^urn:ihe:iti:xds:2013:accession"), actual)).isFalse();
            assertThat(Matching.referenceIds(new QueryList<>(study), actual)).as("the id type is part of the value").isFalse();
        }

        @Test
        void valuesAreOredWithinAListAndAndedAcrossLists() {
            QueryList<String> or = new QueryList<>();
            or.getOuterList().add(Arrays.asList("nope^^^^urn:ihe:iti:xds:2013:uniqueId", study + "^^^^urn:ihe:iti:xds:2013:uniqueId"));
            assertThat(Matching.referenceIds(or, actual)).isTrue();

            QueryList<String> and = new QueryList<>();
            and.getOuterList().add(List.of(study + "^^^^urn:ihe:iti:xds:2013:uniqueId"));
            and.getOuterList().add(List.of("nope^^^^urn:ihe:iti:xds:2013:uniqueId"));
            assertThat(Matching.referenceIds(and, actual)).isFalse();
        }

        @Test
        void absentParameterMatchesEverything() {
            assertThat(Matching.referenceIds(null, new ArrayList<>())).isTrue();
        }
    }

    @Nested
    class ListValues {
        @Test
        void oneOf() {
            assertThat(Matching.oneOf(List.of("a", "b"), "b")).isTrue();
            assertThat(Matching.oneOf(List.of("a", "b"), "c")).isFalse();
            assertThat(Matching.oneOf(List.of("a"), null)).isFalse();
            assertThat(Matching.oneOf(null, null)).isTrue();
        }
    }
}
