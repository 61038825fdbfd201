package nl.beeldbrug.registry.ai;

import static nl.beeldbrug.registry.ai.ValidationGate.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

/** Each rule of the gate excludes its bad case with its reason; a good study passes. */
class ValidationGateTest {

    private static final String BSN = "999911120";
    private static final String STUDY = "1.2.3.100";
    private static final String SERIES = "1.2.3.100.1";
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final Instant STARTED = Instant.parse("2024-03-01T09:00:00Z"); // 10:00 in Amsterdam
    private static final String HOSPITAL_DOMAIN = "2.16.528.1.1007.99.217.3";

    /** XREF-like: the hospital's local id LOCAL-1 in its domain is the BSN. */
    private static final PatientIdentityResolver XREF = (source, patient) ->
            "LOCAL-1".equals(patient.patientId()) && HOSPITAL_DOMAIN.equals(patient.issuerOfPatientId())
                    ? new IdentityResolution.Found(Bsn.of(BSN))
                    : new IdentityResolution.Unresolved(IdentityResolution.Reason.NO_BSN, "unknown");

    private final ValidationGate gate = new ValidationGate(List.of(
            new HeaderRule("MANUFACTURER", 0x00080070, null, Pattern.compile("(?i).*phantom.*"), "Manufacturer")), XREF);

    /** The manifest references instances 1 and 2 of the series, by SOP Instance UID. */
    private static StudyCandidate study() {
        return study(new ManifestContents(List.of(ManifestContents.Series.of(SERIES, Set.of(SERIES + ".1", SERIES + ".2")))));
    }

    private static StudyCandidate study(ManifestContents manifest) {
        return new StudyCandidate(STUDY, BSN, Ura.of("12345678"), List.of("CT"), List.of("51185008"), STARTED, manifest,
                false);
    }

    private static InstanceHeader image(int n) {
        Map<Integer, String> v = new HashMap<>();
        v.put(SOP_CLASS_UID, CT_IMAGE);
        v.put(SOP_INSTANCE_UID, SERIES + "." + n);
        v.put(STUDY_INSTANCE_UID, STUDY);
        v.put(SERIES_INSTANCE_UID, SERIES);
        v.put(PATIENT_ID, BSN);
        v.put(ISSUER_OF_PATIENT_ID, Bsn.OID);
        v.put(PATIENT_BIRTH_DATE, "19700101");
        v.put(PATIENT_SEX, "F");
        v.put(MODALITY, "CT");
        v.put(BODY_PART_EXAMINED, "CHEST");
        v.put(STUDY_DATE, "20240301");
        v.put(ROWS, "512");
        v.put(COLUMNS, "512");
        v.put(BITS_ALLOCATED, "16");
        v.put(SAMPLES_PER_PIXEL, "1");
        v.put(PHOTOMETRIC_INTERPRETATION, "MONOCHROME2");
        v.put(BURNED_IN_ANNOTATION_TAG, "NO");
        v.put(0x00080070, "ACME");
        return new InstanceHeader(v, true);
    }

    private static List<InstanceHeader> good() {
        return List.of(image(1), image(2));
    }

    /** The good study with the second instance changed. */
    private static List<InstanceHeader> secondChanged(UnaryOperator<Map<Integer, String>> change) {
        List<InstanceHeader> headers = new ArrayList<>(good());
        headers.set(1, new InstanceHeader(change.apply(new HashMap<>(headers.get(1).values())), true));
        return headers;
    }

    private static Map<Integer, String> with(Map<Integer, String> v, int tag, String value) {
        if (value == null) {
            v.remove(tag);
        } else {
            v.put(tag, value);
        }
        return v;
    }

    private Optional<String> code(StudyCandidate study, List<InstanceHeader> headers) {
        return gate.check(study, "hospital", headers).map(Exclusion::code);
    }

    @Test
    void aGoodStudyPasses() {
        assertThat(gate.check(study(), "hospital", good())).isEmpty();
    }

    @Test
    void aKosInTheArchiveIsNotCountedAgainstTheManifest() {
        List<InstanceHeader> headers = new ArrayList<>(good());
        headers.add(new InstanceHeader(Map.of(SOP_CLASS_UID, KOS_CLASS, SOP_INSTANCE_UID, "1.2.3.100.9.1",
                SERIES_INSTANCE_UID, "1.2.3.100.9"), false));
        assertThat(gate.check(study(), "hospital", headers)).isEmpty();
    }

    @Test
    void invalidBsn() {
        StudyCandidate s = study();
        StudyCandidate bad = new StudyCandidate(STUDY, "123456789", s.holder(), s.modalities(), s.bodySites(), s.started(),
                s.manifest(), false);
        Optional<Exclusion> exclusion = gate.check(bad, "hospital", good());
        assertThat(exclusion).map(Exclusion::code).contains(INVALID_BSN);
        assertThat(exclusion.get().detail()).doesNotContain("123456789");
    }

    @Test
    void identityMismatchByPatientId() {
        Optional<Exclusion> exclusion = gate.check(study(), "hospital", secondChanged(v -> with(v, PATIENT_ID, "999911132")));
        assertThat(exclusion).map(Exclusion::code).contains(IDENTITY_MISMATCH);
        assertThat(exclusion.get().detail()).doesNotContain("999911132").doesNotContain(BSN);
    }

    @Test
    void identityThroughTheSourcesCrossReference() {
        List<InstanceHeader> local = secondChanged(v -> with(with(v, PATIENT_ID, "LOCAL-1"), ISSUER_OF_PATIENT_ID, HOSPITAL_DOMAIN));
        assertThat(code(study(), local)).isEmpty();
        List<InstanceHeader> unknown = secondChanged(v -> with(with(v, PATIENT_ID, "LOCAL-2"), ISSUER_OF_PATIENT_ID, HOSPITAL_DOMAIN));
        assertThat(code(study(), unknown)).contains(IDENTITY_MISMATCH);
    }

    @Test
    void identityMismatchByBirthDateOrSex() {
        assertThat(code(study(), secondChanged(v -> with(v, PATIENT_BIRTH_DATE, "19710101")))).contains(IDENTITY_MISMATCH);
        assertThat(code(study(), secondChanged(v -> with(v, PATIENT_SEX, "M")))).contains(IDENTITY_MISMATCH);
    }

    @Test
    void incompleteWhenAnInstanceIsMissingOrExtra() {
        assertThat(code(study(), List.of(image(1)))).contains(INCOMPLETE);
        List<InstanceHeader> extra = new ArrayList<>(good());
        extra.add(image(3));
        Optional<Exclusion> exclusion = gate.check(study(), "hospital", extra);
        assertThat(exclusion).map(Exclusion::code).contains(INCOMPLETE);
        assertThat(exclusion.get().detail()).contains("0 missing, 1 not in the manifest");
        assertThat(code(study(), secondChanged(v -> with(v, SERIES_INSTANCE_UID, "1.2.3.100.2")))).contains(INCOMPLETE);
        assertThat(code(study(), List.of())).contains(INCOMPLETE);
        StudyCandidate s = study();
        StudyCandidate unknownManifest = new StudyCandidate(STUDY, BSN, s.holder(), s.modalities(), s.bodySites(),
                s.started(), null, false);
        assertThat(code(unknownManifest, good())).contains(INCOMPLETE);
    }

    @Test
    void incompleteWhenTheArchiveHoldsAnotherInstanceThanTheManifestsWithTheSameCount() {
        List<InstanceHeader> other = List.of(image(1), image(3));
        Optional<Exclusion> exclusion = gate.check(study(), "hospital", other);
        assertThat(exclusion).map(Exclusion::code).contains(INCOMPLETE);
        assertThat(exclusion.get().detail()).contains("1 missing, 1 not in the manifest").contains("by SOP Instance UID")
                .doesNotContain(SERIES).doesNotContain(BSN);
        List<InstanceHeader> moved = secondChanged(v -> with(v, SERIES_INSTANCE_UID, "1.2.3.100.2"));
        assertThat(gate.check(study(), "hospital", moved)).map(Exclusion::detail)
                .hasValueSatisfying(d -> assertThat(d).contains("1 missing, 1 not in the manifest"));
    }

    @Test
    void withoutTheManifestsInstanceUidsTheCountsPerSeriesAreCompared() {
        StudyCandidate countsOnly = study(new ManifestContents(List.of(new ManifestContents.Series(SERIES, 2))));
        assertThat(gate.check(countsOnly, "hospital", good())).isEmpty();
        assertThat(gate.check(countsOnly, "hospital", List.of(image(1), image(3)))).isEmpty(); // cannot be told apart
        Optional<Exclusion> exclusion = gate.check(countsOnly, "hospital", List.of(image(1)));
        assertThat(exclusion).map(Exclusion::code).contains(INCOMPLETE);
        assertThat(exclusion.get().detail()).contains("1 missing, 0 not in the manifest")
                .contains("compared by count per series, the manifest's SOP Instance UIDs being unknown");
    }

    @Test
    void missingAttributes() {
        for (int tag : new int[] {MODALITY, STUDY_DATE, ROWS, COLUMNS, BITS_ALLOCATED, SAMPLES_PER_PIXEL, PHOTOMETRIC_INTERPRETATION}) {
            assertThat(code(study(), secondChanged(v -> with(v, tag, null)))).as("tag %08X", tag).contains(MISSING_ATTRIBUTE);
        }
        assertThat(code(study(), secondChanged(v -> with(v, BODY_PART_EXAMINED, null)))).contains(MISSING_ATTRIBUTE);
        assertThat(code(study(), secondChanged(v -> with(with(v, BODY_PART_EXAMINED, null), ANATOMIC_REGION_SEQUENCE, "51185008"))))
                .isEmpty();
        List<InstanceHeader> noPixels = new ArrayList<>(good());
        noPixels.set(1, new InstanceHeader(noPixels.get(1).values(), false));
        assertThat(gate.check(study(), "hospital", noPixels)).map(Exclusion::detail).hasValueSatisfying(
                d -> assertThat(d).contains("Pixel Data"));
    }

    @Test
    void aStructuredReportNeedsNoPixelModule() {
        StudyCandidate s = study();
        StudyCandidate withSr = new StudyCandidate(STUDY, BSN, s.holder(), List.of("CT", "SR"), s.bodySites(), s.started(),
                new ManifestContents(List.of(new ManifestContents.Series(SERIES, 2), new ManifestContents.Series("1.2.3.100.5", 1))),
                false);
        Map<Integer, String> sr = new HashMap<>(image(1).values());
        sr.keySet().removeAll(List.of(ROWS, COLUMNS, BITS_ALLOCATED, SAMPLES_PER_PIXEL, PHOTOMETRIC_INTERPRETATION));
        sr.put(SOP_CLASS_UID, "1.2.840.10008.5.1.4.1.1.88.22");
        sr.put(SOP_INSTANCE_UID, "1.2.3.100.5.1");
        sr.put(SERIES_INSTANCE_UID, "1.2.3.100.5");
        sr.put(MODALITY, "SR");
        List<InstanceHeader> headers = new ArrayList<>(good());
        headers.add(new InstanceHeader(sr, false));
        assertThat(gate.check(withSr, "hospital", headers)).isEmpty();
    }

    @Test
    void inconsistent() {
        assertThat(code(study(), secondChanged(v -> with(v, STUDY_DATE, "20240302")))).contains(INCONSISTENT);
        assertThat(code(study(), secondChanged(v -> with(v, STUDY_INSTANCE_UID, "1.2.3.999")))).contains(INCONSISTENT);
        assertThat(code(study(), secondChanged(v -> with(v, MODALITY, "MR")))).contains(INCONSISTENT);
        StudyCandidate s = study();
        StudyCandidate otherDay = new StudyCandidate(STUDY, BSN, s.holder(), s.modalities(), s.bodySites(),
                Instant.parse("2024-03-05T09:00:00Z"), s.manifest(), false);
        assertThat(code(otherDay, good())).contains(INCONSISTENT);
    }

    @Test
    void rejected() {
        StudyCandidate s = study();
        StudyCandidate deprecated = new StudyCandidate(STUDY, BSN, s.holder(), s.modalities(), s.bodySites(), s.started(),
                null, true);
        assertThat(code(deprecated, good())).contains(REJECTED);
        List<InstanceHeader> withNote = new ArrayList<>(good());
        withNote.add(new InstanceHeader(Map.of(SOP_CLASS_UID, KOS_CLASS, CONCEPT_NAME_CODE_SEQUENCE, "113001",
                SOP_INSTANCE_UID, "1.2.3.100.8.1", SERIES_INSTANCE_UID, "1.2.3.100.8"), false));
        assertThat(code(study(), withNote)).contains(REJECTED);
    }

    @Test
    void burnedInAnnotation() {
        Optional<Exclusion> exclusion = gate.check(study(), "hospital", secondChanged(v -> with(v, BURNED_IN_ANNOTATION_TAG, "YES")));
        assertThat(exclusion).map(Exclusion::code).contains(BURNED_IN_ANNOTATION);
        assertThat(exclusion.get().detail()).contains("pixel cleaning is not implemented");
    }

    @Test
    void configuredExtraRules() {
        assertThat(code(study(), secondChanged(v -> with(v, 0x00080070, "Phantom Labs")))).contains("MANUFACTURER");
        ValidationGate requiring = new ValidationGate(List.of(
                new HeaderRule("KVP_RANGE", ValidationGate.tag("(0018,0060)"), Pattern.compile("[0-9]{2,3}"), null, "KVP")), XREF);
        assertThat(requiring.check(study(), "hospital", good())).map(Exclusion::code).contains("KVP_RANGE");
        assertThat(requiring.check(study(), "hospital", List.of(withKvp(image(1)), withKvp(image(2))))).isEmpty();
    }

    private static InstanceHeader withKvp(InstanceHeader h) {
        Map<Integer, String> v = new HashMap<>(h.values());
        v.put(0x00180060, "120");
        return new InstanceHeader(v, true);
    }
}
