package nl.beeldbrug.adapters.dicom.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.BulkData;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.Fragments;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The de-identified output scan of issue 7: realistic instances (CT native, MR implicit VR with spooled pixel data,
 * an encapsulated JPEG secondary capture, a Comprehensive SR) carry every fillable attribute of Table E.1-1 with a
 * recognisable original value at the top level and two sequence levels down, plus private tags, overlays and
 * curves. After de-identification every element at every level is checked against its row of the full table.
 */
class DeidentifiedOutputScanTest {
    private static final Set<String> CLINICAL_WORDS = Set.of("CT", "THORAX", "ABDOMEN", "CONTRAST", "MR", "HEAD");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final TestKeys PLATFORM_A = new TestKeys("platform-a-secret", "AIPSEUDO-A-0001", -17 * 3 - 2);
    private static final TestKeys PLATFORM_B = new TestKeys("platform-b-secret", "AIPSEUDO-B-0042", 211);
    private static final String STUDY_UID = "1.2.826.0.1.3680043.10.4711.1";
    private static final String FRAME_OF_REFERENCE = "1.2.826.0.1.3680043.10.4711.5";
    private static final String[] IDENTIFYING = {"Jansen", "999990019", "Piet", "Amsterdam UMC"};

    @TempDir
    static Path dir;
    static Map<String, Path> inputs = new LinkedHashMap<>();
    static Map<String, Object> pixels = new HashMap<>();

    private final ConfidentialityProfile profile = ConfidentialityProfile.standard();

    record Run(Path in, Path out, DeidentifiedInstance result) {
    }

    @BeforeAll
    static void buildStudy() throws IOException {
        Random random = new Random(7);
        Attributes ct = instance(UID.CTImageStorage, "1.2.826.0.1.3680043.10.4711.2.1", "1.2.826.0.1.3680043.10.4711.3.1");
        byte[] ctPixels = native16(ct, 512, 512, random);
        inputs.put("ct", write(ct, UID.ExplicitVRLittleEndian, "ct"));
        pixels.put("ct", ctPixels);

        Attributes mr = instance(UID.MRImageStorage, "1.2.826.0.1.3680043.10.4711.2.2", "1.2.826.0.1.3680043.10.4711.3.2");
        byte[] mrPixels = native16(mr, 1024, 1024, random); // 2 MiB: spooled to a temporary file
        Attributes ref = mr.newSequence(Tag.ReferencedImageSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.4711.3.1");
        inputs.put("mr", write(mr, UID.ImplicitVRLittleEndian, "mr"));
        pixels.put("mr", mrPixels);

        Attributes sc = instance(UID.SecondaryCaptureImageStorage, "1.2.826.0.1.3680043.10.4711.2.3",
                "1.2.826.0.1.3680043.10.4711.3.3");
        sc.setInt(Tag.Rows, VR.US, 256);
        sc.setInt(Tag.Columns, VR.US, 256);
        sc.setInt(Tag.BitsAllocated, VR.US, 8);
        sc.setInt(Tag.BitsStored, VR.US, 8);
        sc.setInt(Tag.HighBit, VR.US, 7);
        sc.setInt(Tag.SamplesPerPixel, VR.US, 1);
        sc.setInt(Tag.PixelRepresentation, VR.US, 0);
        sc.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        Fragments f = new Fragments();
        byte[] frag1 = bytes(random, 600_000);
        byte[] frag2 = bytes(random, 1_500_001); // odd and above the spool threshold
        f.add(new byte[0]);
        f.add(frag1);
        f.add(frag2);
        sc.put(Tag.PixelData, VR.OB, f);
        inputs.put("sc-jpeg", write(sc, UID.JPEGBaseline8Bit, "sc"));
        pixels.put("sc-jpeg", List.of(new byte[0], frag1, frag2));

        Attributes sr = instance(UID.ComprehensiveSRStorage, "1.2.826.0.1.3680043.10.4711.2.4",
                "1.2.826.0.1.3680043.10.4711.3.4");
        Attributes content = sr.newSequence(Tag.ContentSequence).addItem();
        content.setString(Tag.ValueType, VR.CS, "PNAME");
        content.setString(0x0040A123, VR.PN, "Jansen^Piet");
        Attributes deeper = content.newSequence(Tag.ContentSequence).addItem();
        deeper.setString(Tag.ValueType, VR.CS, "TEXT");
        deeper.setString(Tag.TextValue, VR.UT, "Patient Jansen, BSN 999990019, seen at Amsterdam UMC");
        deeper.setString(0x0040A124, VR.UI, "1.2.826.0.1.3680043.10.4711.9.9");
        inputs.put("sr", write(sr, UID.ExplicitVRLittleEndian, "sr"));
    }

    /** A data set with the full table at three levels, then realistic values for the identifying core. */
    private static Attributes instance(String sopClass, String seriesUid, String sopUid) {
        TableFiller filler = new TableFiller();
        Attributes ds = new Attributes();
        filler.fill(ds, 0);
        Attributes shared = ds.newSequence(Tag.SharedFunctionalGroupsSequence).addItem(); // not in the table: kept
        filler.fill(shared, 1);
        filler.fill(shared.newSequence(Tag.PixelMeasuresSequence).addItem(), 2);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY_UID);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, FRAME_OF_REFERENCE);
        ds.setString(Tag.PatientName, VR.PN, "Jansen^Piet");
        ds.setString(Tag.PatientID, VR.LO, "999990019");
        ds.setString(Tag.InstitutionName, VR.LO, "Amsterdam UMC");
        ds.setString(Tag.StudyDate, VR.DA, "20240101");
        ds.setString(Tag.StudyTime, VR.TM, "083000");
        ds.setString(Tag.TimezoneOffsetFromUTC, VR.SH, "+0100");
        ds.setString(Tag.AcquisitionDate, VR.DA, "20240118"); // 17 days later
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240118091500.25+0100");
        ds.setString(Tag.StudyDescription, VR.LO, "CT thorax abdomen contrast"); // clean: clinical words only
        ds.setString(Tag.SeriesDescription, VR.LO, "thorax Jansen follow-up");   // not clean: a name
        ds.setString(Tag.Modality, VR.CS, sopClass.equals(UID.MRImageStorage) ? "MR" : "CT");
        ds.setInt(0x60000010, VR.US, 16); // overlay rows, columns, type: the whole overlay group must go
        ds.setInt(0x60000011, VR.US, 16);
        ds.setString(0x60000040, VR.CS, "G");
        return ds;
    }

    private static byte[] native16(Attributes ds, int rows, int columns, Random random) {
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        byte[] px = bytes(random, rows * columns * 2);
        ds.setBytes(Tag.PixelData, VR.OW, px);
        return px;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Path write(Attributes ds, String ts, String name) throws IOException {
        Path p = dir.resolve(name + ".dcm");
        DicomFile.of(ds, ts).write(p);
        return p;
    }

    private Map<String, Run> deidentify(Deidentifier d, TestKeys keys, String label) throws IOException {
        Map<String, Run> runs = new LinkedHashMap<>();
        Path outDir = Files.createDirectories(dir.resolve("out-" + label));
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            Path out = outDir.resolve(in.getKey() + ".dcm");
            try (InputStream is = Files.newInputStream(in.getValue()); OutputStream os = Files.newOutputStream(out)) {
                runs.put(in.getKey(), new Run(in.getValue(), out, d.deidentify(is, keys, os)));
            }
        }
        return runs;
    }

    private Deidentifier deidentifier(DeidentificationOptions options, DescriptorCleaner cleaner) throws IOException {
        return new Deidentifier(profile, options, cleaner, Files.createDirectories(dir.resolve("spool")));
    }

    static Stream<Arguments> optionSets() {
        return Stream.of(
                Arguments.of("ai-word-list", DeidentificationOptions.standardForAi(),
                        DescriptorCleaner.allowWords(CLINICAL_WORDS)),
                Arguments.of("ai-default-cleaner", DeidentificationOptions.standardForAi(), DescriptorCleaner.removeAll()),
                Arguments.of("basic", DeidentificationOptions.basic(), DescriptorCleaner.allowWords(CLINICAL_WORDS)),
                Arguments.of("dates-only", new DeidentificationOptions(true, false), DescriptorCleaner.removeAll()));
    }

    @Test
    void everyAttributeRowOfTheTableIsInTheInput() throws IOException {
        assertThat(new TableFiller().notFilled()).containsExactlyInAnyOrder(
                "(0000,1000) Affected SOP Instance UID", "(0000,1001) Requested SOP Instance UID",
                "(0002,0003) Media Storage SOP Instance UID"); // command group; file meta: checked separately
        for (Path in : inputs.values()) {
            Map<Integer, Set<String>> originals = values(DicomFile.read(in).dataset());
            for (ConfidentialityProfile.Entry e : profile.entries()) {
                for (int tag : TableFiller.tags(e)) {
                    assertThat(originals).as("%s %s in %s", e.tag(), e.name(), in.getFileName()).containsKey(tag);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionSets")
    void noProtectedAttributeKeepsItsOriginalValueAnywhere(String label, DeidentificationOptions options,
                                                             DescriptorCleaner cleaner) throws IOException {
        Map<String, Run> runs = deidentify(deidentifier(options, cleaner), PLATFORM_A, label);
        int checked = 0;
        for (Run run : runs.values()) {
            DicomFile in = DicomFile.read(run.in());
            DicomFile out = DicomFile.read(run.out());
            Map<Integer, Set<String>> originals = values(in.dataset());
            List<String> problems = new ArrayList<>();
            checked += scan(out.dataset(), originals, options, cleaner, "", problems);
            assertThat(problems).as(run.in().getFileName().toString()).isEmpty();
            // the file meta information is new: no original UID
            assertThat(out.fileMeta().getString(Tag.MediaStorageSOPInstanceUID))
                    .isEqualTo(out.dataset().getString(Tag.SOPInstanceUID))
                    .isEqualTo(PLATFORM_A.uid(in.dataset().getString(Tag.SOPInstanceUID)));
            // and nowhere in the bytes: no marked original, no name, BSN or institution
            String raw = new String(Files.readAllBytes(run.out()), StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain(TableFiller.MARK).doesNotContain(IDENTIFYING);
            assertThat(out.dataset().getString(Tag.PatientName)).isEqualTo(PLATFORM_A.patientPseudonym());
            assertThat(out.dataset().getString(Tag.PatientID)).isEqualTo(PLATFORM_A.patientPseudonym());
            assertThat(out.dataset().getString(Tag.PatientIdentityRemoved)).isEqualTo("YES");
        }
        assertThat(checked).isGreaterThan(500);
    }

    /** Checks every element at every level against its row; returns the number of listed elements checked. */
    private int scan(Attributes ds, Map<Integer, Set<String>> originals, DeidentificationOptions options,
                     DescriptorCleaner cleaner, String path, List<String> problems) {
        int checked = 0;
        for (Element e : ds.elements()) {
            int tag = e.tag();
            String where = path + Element.tagString(tag);
            if ((tag >>> 16 & 1) == 1 || (tag >>> 16 & 0xFF00) == 0x6000 || (tag >>> 16 & 0xFF00) == 0x5000) {
                problems.add(where + " private, overlay or curve element present");
                continue;
            }
            if (e.value() instanceof Sequence s) {
                int i = 0;
                for (Attributes item : s) {
                    checked += scan(item, originals, options, cleaner, where + "[" + i++ + "]", problems);
                }
            }
            if (tag == Tag.PatientName || tag == Tag.PatientID) {
                if (!PLATFORM_A.patientPseudonym().equals(text(e))) {
                    problems.add(where + " is not the pseudonym");
                }
                continue;
            }
            if (profile.entry(tag).isEmpty()) {
                continue; // not in the table: kept by the profile
            }
            checked++;
            ConfidentialityProfile.Entry row = profile.entry(tag).orElseThrow();
            Action action = profile.action(tag, options);
            Set<String> orig = originals.getOrDefault(tag, Set.of());
            String value = text(e);
            boolean original = value != null && !value.isEmpty() && orig.contains(value);
            if (action == Action.C) {
                boolean dates = options.retainLongitudinalModifiedDates()
                        && "C".equals(row.option(ConfidentialityProfile.RETAIN_LONGITUDINAL_MODIFIED_DATES));
                if (dates && (e.vr() == VR.TM && value.matches("[0-9.\\\\]*")
                        || tag == Tag.TimezoneOffsetFromUTC && value.matches("[+-][0-9]{4}"))) {
                    continue; // times of day and offsets are kept with whole-day shifts (documented)
                }
                if (dates && (e.vr() == VR.DA || e.vr() == VR.DT) && value != null && !value.isEmpty()) {
                    if (original) {
                        problems.add(where + " date kept unshifted: " + value);
                    }
                    continue;
                }
                if (original && cleaner.clean(tag, value).isPresent()) {
                    continue; // the cleaner vouches for it (clinical words only)
                }
                action = row.basicAction();
            }
            switch (action) {
                case X -> problems.add(where + " " + row.name() + " must be removed");
                case Z -> {
                    if (e.value() instanceof Sequence s ? !s.isEmpty() : value != null && !value.isEmpty()) {
                        problems.add(where + " " + row.name() + " must be zero-length, is " + value);
                    }
                }
                case D -> {
                    if (e.value() instanceof Sequence s ? !s.isEmpty() : original) {
                        problems.add(where + " " + row.name() + " keeps its original value " + value);
                    }
                }
                case U -> {
                    if (!(e.value() instanceof Sequence) && value != null && !value.isEmpty()) {
                        for (String v : value.split("\\\\")) {
                            if (orig.contains(v) || orig.stream().noneMatch(o -> PLATFORM_A.uid(o).equals(v))) {
                                problems.add(where + " " + row.name() + " UID not replaced consistently: " + v);
                            }
                        }
                    }
                }
                default -> problems.add(where + " unexpected action " + action);
            }
        }
        return checked;
    }

    @Test
    void uidsAreConsistentWithinAPlatformAndDifferAcrossPlatforms() throws IOException {
        Deidentifier d = deidentifier(DeidentificationOptions.standardForAi(), DescriptorCleaner.removeAll());
        Map<String, Run> a = deidentify(d, PLATFORM_A, "uid-a");
        Map<String, Run> b = deidentify(d, PLATFORM_B, "uid-b");
        Map<String, Attributes> outA = datasets(a);
        Map<String, Attributes> outB = datasets(b);
        String studyA = PLATFORM_A.uid(STUDY_UID);
        for (String k : inputs.keySet()) {
            assertThat(outA.get(k).getString(Tag.StudyInstanceUID)).isEqualTo(studyA).isEqualTo(a.get(k).result().studyUid());
            assertThat(a.get(k).result().sopInstanceUid()).isEqualTo(outA.get(k).getString(Tag.SOPInstanceUID));
            assertThat(a.get(k).result().seriesUid()).isEqualTo(outA.get(k).getString(Tag.SeriesInstanceUID));
            assertThat(outA.get(k).getString(Tag.FrameOfReferenceUID)).isEqualTo(PLATFORM_A.uid(FRAME_OF_REFERENCE));
            Set<String> uidsA = uids(outA.get(k));
            Set<String> uidsB = uids(outB.get(k));
            assertThat(uidsA).hasSizeGreaterThan(40);
            assertThat(uidsA).doesNotContainAnyElementsOf(uidsB); // nothing links the two platforms' copies
            assertThat(uidsA).doesNotContainAnyElementsOf(uids(DicomFile.read(inputs.get(k)).dataset()));
        }
        assertThat(outB.get("ct").getString(Tag.StudyInstanceUID)).isEqualTo(PLATFORM_B.uid(STUDY_UID)).isNotEqualTo(studyA);
        // the MR's reference to the CT image points at the CT's new SOP Instance UID
        assertThat(outA.get("mr").getNestedItem(Tag.ReferencedImageSequence).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo(outA.get("ct").getString(Tag.SOPInstanceUID));
        assertThat(outA.get("mr").getNestedItem(Tag.ReferencedImageSequence).getString(Tag.ReferencedSOPClassUID))
                .isEqualTo(UID.CTImageStorage);
        // the same original UID in nested items is replaced the same way as at the top
        Attributes nested = outA.get("ct").getNestedItem(Tag.SharedFunctionalGroupsSequence);
        assertThat(nested.getString(Tag.StudyInstanceUID)).isEqualTo(PLATFORM_A.uid(TableFiller.uid(Tag.StudyInstanceUID)));
        assertThat(outA.get("mr").getNestedItem(Tag.SharedFunctionalGroupsSequence).getString(Tag.StudyInstanceUID))
                .isEqualTo(nested.getString(Tag.StudyInstanceUID));
        // the study is still one study for each platform: all UIDs differ, the pseudonyms too
        assertThat(outA.get("ct").getString(Tag.PatientID)).isNotEqualTo(outB.get("ct").getString(Tag.PatientID));
    }

    @Test
    void datesKeepTheirIntervalsAndAreShiftedByTheKeysShift() throws IOException {
        Deidentifier d = deidentifier(DeidentificationOptions.standardForAi(), DescriptorCleaner.removeAll());
        for (TestKeys keys : List.of(PLATFORM_A, PLATFORM_B)) {
            Map<String, Attributes> out = datasets(deidentify(d, keys, "dates-" + keys.secret()));
            for (Attributes ds : out.values()) {
                LocalDate study = LocalDate.parse(ds.getString(Tag.StudyDate), DA);
                LocalDate acquisition = LocalDate.parse(ds.getString(Tag.AcquisitionDate), DA);
                assertThat(ChronoUnit.DAYS.between(study, acquisition)).isEqualTo(17);
                assertThat(study).isEqualTo(LocalDate.of(2024, 1, 1).plusDays(keys.dateShiftDays()));
                assertThat(ds.getString(Tag.StudyTime)).isEqualTo("083000");
                assertThat(ds.getString(Tag.AcquisitionDateTime))
                        .isEqualTo(LocalDate.of(2024, 1, 18).plusDays(keys.dateShiftDays()).format(DA) + "091500.25+0100");
                assertThat(ds.getString(Tag.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
                // the filler's dates 3 days apart per row stay 3 days apart, also nested
                Attributes nested = ds.getNestedItem(Tag.SharedFunctionalGroupsSequence);
                LocalDate a = LocalDate.parse(nested.getString(Tag.StudyDate), DA);
                LocalDate b = LocalDate.parse(nested.getString(Tag.ContentDate), DA);
                assertThat(b).isEqualTo(a.plusDays(daysBetweenRows(Tag.StudyDate, Tag.ContentDate)));
            }
        }
    }

    private long daysBetweenRows(int from, int to) {
        int i = 0;
        int a = -1;
        int b = -1;
        for (ConfidentialityProfile.Entry e : profile.entries()) {
            i++;
            if (!e.isPattern() && !e.isPrivateAttributes() && e.baseTag() == from) {
                a = i;
            }
            if (!e.isPattern() && !e.isPrivateAttributes() && e.baseTag() == to) {
                b = i;
            }
        }
        return 3L * (b - a);
    }

    @Test
    void pixelDataIsByteIdentical() throws IOException {
        Map<String, Run> runs = deidentify(deidentifier(DeidentificationOptions.standardForAi(),
                DescriptorCleaner.removeAll()), PLATFORM_A, "pixels");
        for (String k : List.of("ct", "mr")) {
            Element px = DicomFile.read(runs.get(k).out()).dataset().get(Tag.PixelData);
            assertThat(bytes(px.value())).as(k).isEqualTo(pixels.get(k));
        }
        DicomFile sc = DicomFile.read(runs.get("sc-jpeg").out());
        assertThat(sc.transferSyntax().uid()).isEqualTo(UID.JPEGBaseline8Bit);
        List<Object> frags = ((Fragments) sc.dataset().get(Tag.PixelData).value()).items();
        @SuppressWarnings("unchecked")
        List<byte[]> expected = (List<byte[]>) pixels.get("sc-jpeg");
        assertThat(frags).hasSize(3);
        for (int i = 0; i < 3; i++) {
            byte[] got = bytes(frags.get(i));
            byte[] want = expected.get(i);
            // fragments are padded to even length on the wire; the pad byte is the only difference allowed
            assertThat(java.util.Arrays.copyOf(got, want.length)).isEqualTo(want);
            assertThat(got.length - want.length).isBetween(0, 1);
        }
        assertThat(runs.get("mr").result().transferSyntaxUid()).isEqualTo(UID.ImplicitVRLittleEndian);
        assertThat(dir.resolve("spool")).isEmptyDirectory();
    }

    @Test
    void outputIsValidDicomForDcmtk() throws IOException {
        String dcmdump = Peers.require("dcmdump", "dcmtk");
        Map<String, Run> runs = deidentify(deidentifier(DeidentificationOptions.standardForAi(),
                DescriptorCleaner.allowWords(CLINICAL_WORDS)), PLATFORM_A, "dcmdump");
        for (Run run : runs.values()) {
            Peers.Result r = Peers.runAllowingFailure(dcmdump, "-dc", "+L", run.out().toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).as(r.output()).doesNotContain("E: ").doesNotContain("W: ")
                    .containsPattern("\\(0012,0062\\) CS \\[YES ?\\]")
                    .containsPattern("\\(0010,0020\\) LO \\[" + PLATFORM_A.patientPseudonym() + " ?\\]")
                    .containsPattern("\\(0002,0003\\) UI \\[" + run.result().sopInstanceUid() + ".?\\]");
        }
    }

    private static Map<String, Attributes> datasets(Map<String, Run> runs) throws IOException {
        Map<String, Attributes> m = new LinkedHashMap<>();
        for (Map.Entry<String, Run> r : runs.entrySet()) {
            m.put(r.getKey(), DicomFile.read(r.getValue().out()).dataset());
        }
        return m;
    }

    private static byte[] bytes(Object value) throws IOException {
        if (value instanceof byte[] b) {
            return b;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ((BulkData) value).copyTo(out);
        return out.toByteArray();
    }

    /** Every UI value at every level. */
    private static Set<String> uids(Attributes ds) {
        Set<String> out = new HashSet<>();
        for (Element e : ds.elements()) {
            if (e.value() instanceof Sequence s) {
                for (Attributes item : s) {
                    out.addAll(uids(item));
                }
            } else if (e.vr() == VR.UI && !isWellKnown(e.tag())) {
                String v = text(e);
                if (v != null && !v.isEmpty()) {
                    out.addAll(List.of(v.split("\\\\")));
                }
            }
        }
        return out;
    }

    private static boolean isWellKnown(int tag) {
        return tag == Tag.SOPClassUID || tag == Tag.ReferencedSOPClassUID || tag == Tag.TransferSyntaxUID;
    }

    /** Tag → every value it has anywhere in {@code ds} (text trimmed; binary as ISO-8859-1 text). */
    private static Map<Integer, Set<String>> values(Attributes ds) {
        Map<Integer, Set<String>> m = new HashMap<>();
        collect(ds, m);
        return m;
    }

    private static void collect(Attributes ds, Map<Integer, Set<String>> m) {
        for (Element e : ds.elements()) {
            Set<String> set = m.computeIfAbsent(e.tag(), t -> new HashSet<>());
            if (e.value() instanceof Sequence s) {
                for (Attributes item : s) {
                    collect(item, m);
                }
            } else {
                String v = text(e);
                if (v != null) {
                    set.add(v);
                    set.addAll(List.of(v.split("\\\\")));
                }
            }
        }
    }

    private static String text(Element e) {
        if (!(e.value() instanceof byte[] b)) {
            return e.value() == null ? "" : null;
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        return s.substring(0, end);
    }
}
