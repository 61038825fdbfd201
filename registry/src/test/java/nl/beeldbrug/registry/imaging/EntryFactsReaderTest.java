package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.PackedMetadata;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The short way of reading a stored entry for a study summary gives exactly what IPF's model of the same stored bytes
 * gives — for the entries sources send and for entries with every optional part missing, empty or odd.
 */
class EntryFactsReaderTest {

    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);

    @Test
    void aManifestAndAReportAsTheSummaryNeedsThem() {
        String study = "1.2.3.4.5";
        DocumentEntry kos = sample.kos(study);
        EntryFacts facts = EntryFactsReader.read(MetadataJson.writePacked(kos), "urn:uuid:row");

        assertThat(facts.entryUuid()).isEqualTo("urn:uuid:row");
        assertThat(facts.uniqueId()).isEqualTo(kos.getUniqueId());
        assertThat(facts.repositoryUniqueId()).isEqualTo(SampleMetadata.REPOSITORY_UNIQUE_ID);
        assertThat(facts.mimeType()).isEqualTo("application/dicom");
        assertThat(facts.title()).isEqualTo("CT thorax");
        assertThat(facts.manifest()).isTrue();
        assertThat(facts.serviceStart()).isEqualTo(SampleMetadata.STUDY_START.toInstant());
        assertThat(facts.accessions()).containsExactly(
                new Accession("ACC" + Math.abs(study.hashCode() % 1000000), "2.16.528.1.1007.99.217.4"));
        assertThat(facts.eventCodes()).containsExactly(
                new CodedValue("CT", SampleMetadata.DCM, "Computed Tomography"),
                new CodedValue("51185008", SampleMetadata.SNOMED, "Thorax"));
        assertThat(facts.institution()).isEqualTo(new Organisation("Ziekenhuis Beeldbrug", "00001234"));
        assertSameAsModel(kos);

        DocumentEntry report = sample.report(study);
        EntryFacts reportFacts = EntryFactsReader.read(MetadataJson.writePacked(report), "urn:uuid:report");
        assertThat(reportFacts.manifest()).isFalse();
        assertThat(reportFacts.accessions()).isEmpty();
        assertSameAsModel(report);
    }

    @Test
    void randomEntriesGiveTheFactsOfIpfsModel() {
        SplittableRandom random = new SplittableRandom(20261130);
        for (int i = 0; i < 3000; i++) {
            DocumentEntry entry = random.nextBoolean() ? sample.kos(SampleMetadata.newUid()) : sample.report(SampleMetadata.newUid());
            mutate(entry, random);
            assertSameAsModel(entry);
        }
    }

    @Test
    void olderRowsWithBareDisplayNamesReadAsBefore() throws Exception {
        DocumentEntry kos = sample.kos("1.2.3");
        String json = MetadataJson.write(kos).replace("{\"value\":\"Thorax\",\"language\":\"en-US\"}", "\"Thorax\"");
        assertThat(json).contains("\"displayName\":\"Thorax\"");
        byte[] stored = PackedMetadata.pack(json.getBytes(StandardCharsets.UTF_8));

        EntryFacts facts = EntryFactsReader.read(stored, "urn:uuid:old");
        assertThat(EntryFactsReader.parse(json.getBytes(StandardCharsets.UTF_8), "urn:uuid:old")).isEqualTo(facts);
        assertThat(facts.eventCodes()).contains(new CodedValue("51185008", SampleMetadata.SNOMED, "Thorax"));
        assertThat(facts).isEqualTo(model(stored, "urn:uuid:old"));
    }

    @Test
    void aShapeTheReaderDoesNotExpectGoesThroughIpfsModel() {
        DocumentEntry kos = sample.kos("1.2.3");
        String json = MetadataJson.write(kos);
        // a display name that is a number, not text: IPF's model reads it as none, this reader leaves it to the model
        String odd = json.replace("{\"value\":\"Thorax\",\"language\":\"en-US\"}", "42");
        assertThat(odd).isNotEqualTo(json);
        byte[] stored = PackedMetadata.pack(odd.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EntryFactsReader.parse(odd.getBytes(StandardCharsets.UTF_8), "urn:uuid:odd"))
                .isInstanceOf(EntryFactsReader.Unexpected.class);
        EntryFacts facts = EntryFactsReader.read(stored, "urn:uuid:odd");
        assertThat(facts).isEqualTo(model(stored, "urn:uuid:odd"));
        assertThat(facts.title()).isEqualTo("CT thorax");
    }

    @Test
    void dateTimesReadAsTheIsoParserReadsThem() {
        SplittableRandom random = new SplittableRandom(29);
        List<String> texts = new java.util.ArrayList<>(List.of("2024-02-29T23:59:59.999+14:00", "2023-02-29T10:00:00.000+00:00",
                "2024-04-31T10:00:00.000+00:00", "2024-13-01T10:00:00.000+00:00", "2024-01-01T24:00:00.000+00:00",
                "2024-01-01T10:00:00.000+18:00", "2024-01-01T10:00:00.000-18:00", "2024-01-01T10:00:00.000+19:00",
                "2024-01-01T10:00:00Z", "2024-01-01T10:00:00.000Z", "2024-01-01T10:00:00.000+0100", "2024-0a-01T10:00:00.000+01:00",
                "0000-01-01T00:00:00.000+00:00", "9999-12-31T23:59:59.999-00:30"));
        java.time.format.DateTimeFormatter ipf = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
        for (int i = 0; i < 20_000; i++) {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900);
            texts.add(Instant.ofEpochMilli(random.nextLong(-5_000_000_000_000L, 5_000_000_000_000L)).atOffset(offset).format(ipf));
        }
        for (String text : texts) {
            Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                assertThatThrownBy(() -> EntryFactsReader.instant(text)).as(text).isInstanceOf(java.time.format.DateTimeParseException.class);
                continue;
            }
            assertThat(EntryFactsReader.instant(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void bytesThatAreNotStoredMetadataAreRefused() {
        assertThatThrownBy(() -> EntryFactsReader.read("{}".getBytes(StandardCharsets.UTF_8), "urn:uuid:x"))
                .isInstanceOf(RuntimeException.class);
    }

    /** The short way itself (no fall-back to the model) gives the model's facts. */
    private static void assertSameAsModel(DocumentEntry entry) {
        byte[] stored = MetadataJson.writePacked(entry);
        EntryFacts expected = model(stored, "urn:uuid:e");
        try {
            assertThat(EntryFactsReader.parse(PackedMetadata.unpack(stored), "urn:uuid:e")).as(MetadataJson.write(entry))
                    .isEqualTo(expected);
        } catch (IOException | EntryFactsReader.Unexpected e) {
            throw new AssertionError("the short way gave up on " + MetadataJson.write(entry), e);
        }
        assertThat(EntryFactsReader.read(stored, "urn:uuid:e")).isEqualTo(expected);
    }

    /** The facts the long way: IPF's model of the stored bytes, as the index read them before. */
    private static EntryFacts model(byte[] stored, String entryUuid) {
        DocumentEntry entry = MetadataJson.readPacked(stored, DocumentEntry.class);
        entry.setEntryUuid(entryUuid);
        return EntryFacts.of(entry);
    }

    private static final String[] TEXTS = {null, "", " ", "CT thorax", "Échographie \"abdomen\" \\ 1/2", "日本語 😀", "a^b&c~d|e"};
    private static final String[] OIDS = {null, "", StudySummaryBuilder.URA_OID, "2.16.528.1.1007.99.217.4", "1.2.3"};

    private static String text(SplittableRandom random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }

    private static String oid(SplittableRandom random) {
        return OIDS[random.nextInt(OIDS.length)];
    }

    private static void mutate(DocumentEntry entry, SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            String title = text(random);
            entry.setTitle(title == null ? null : new LocalizedString(title, random.nextBoolean() ? "nl-NL" : null, "UTF-8"));
        }
        if (random.nextInt(5) == 0) {
            entry.setMimeType(text(random));
        }
        if (random.nextInt(5) == 0) {
            entry.setRepositoryUniqueId(oid(random));
        }
        if (random.nextInt(8) == 0) {
            entry.setUniqueId(text(random));
        }
        switch (random.nextInt(5)) {
            case 0 -> entry.setFormatCode(null);
            case 1 -> entry.setFormatCode(new Code("urn:oid:" + StudyAttributes.KOS_SOP_CLASS, null, "1.2.840.10008.2.6.1"));
            case 2 -> entry.setFormatCode(new Code(text(random), null, text(random)));
            default -> { }
        }
        switch (random.nextInt(5)) {
            case 0 -> entry.setServiceStartTime((Timestamp) null);
            case 1 -> entry.setServiceStartTime(new Timestamp(ZonedDateTime.of(2019, 7, 14, 23, 30, 5, 0, ZoneId.of("Europe/Amsterdam")),
                    Timestamp.Precision.SECOND));
            case 2 -> entry.setServiceStartTime(new Timestamp(ZonedDateTime.of(2001, 1, 2, 0, 0, 0, 0, ZoneOffset.ofHours(-5)),
                    Timestamp.Precision.DAY));
            case 3 -> entry.setServiceStartTime(new Timestamp(Instant.ofEpochSecond(random.nextLong(0, 2_000_000_000L))
                    .atZone(ZoneOffset.UTC), Timestamp.Precision.SECOND));
            default -> { }
        }
        if (random.nextInt(3) == 0) {
            List<ReferenceId> refs = entry.getReferenceIdList();
            for (int n = random.nextInt(4); n > 0; n--) {
                String type = random.nextInt(3) == 0 ? ReferenceId.ID_TYPE_CODE_ORDER : ReferenceId.ID_TYPE_CODE_ACCESSION;
                CXiAssigningAuthority issuer = switch (random.nextInt(3)) {
                    case 0 -> null;
                    case 1 -> new CXiAssigningAuthority(null, oid(random), "ISO");
                    default -> new CXiAssigningAuthority(text(random), oid(random), null);
                };
                refs.add(random.nextInt(random.nextInt(refs.size() + 1) + 1), new ReferenceId(text(random), issuer, type));
            }
        }
        if (random.nextInt(3) == 0) {
            List<Code> codes = entry.getEventCodeList();
            if (random.nextBoolean()) {
                codes.clear();
            }
            for (int n = random.nextInt(4); n > 0; n--) {
                String display = text(random);
                String scheme = random.nextBoolean() ? SampleMetadata.DCM : random.nextBoolean() ? SampleMetadata.SNOMED : oid(random);
                codes.add(new Code(random.nextBoolean() ? "MR" : text(random),
                        display == null ? null : new LocalizedString(display, random.nextBoolean() ? "en-US" : null, "UTF-8"), scheme));
            }
        }
        if (random.nextInt(3) == 0) {
            List<Author> authors = entry.getAuthors();
            if (random.nextBoolean()) {
                authors.clear();
            }
            for (int n = random.nextInt(3); n > 0; n--) {
                Author author = new Author();
                for (int m = random.nextInt(3); m > 0; m--) {
                    String authority = oid(random);
                    author.getAuthorInstitution().add(new Organization(text(random), random.nextBoolean() ? "00004321" : text(random),
                            authority == null ? null : new AssigningAuthority(authority, "ISO")));
                }
                authors.add(random.nextInt(authors.size() + 1), author);
            }
        }
    }
}
