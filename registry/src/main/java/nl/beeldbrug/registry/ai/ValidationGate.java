package nl.beeldbrug.registry.ai;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.beeldbrug.registry.bridge.DicomPatient;
import nl.beeldbrug.registry.bridge.HeaderIdentityResolver;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.patient.Bsn;

/**
 * The validation gate of the AI release (issue 7 point 3): a study of a consenting patient is released only when it
 * passes every rule; the first rule it fails excludes it with that rule's code and a detail that carries no patient
 * data. The rules, in the order they are checked:
 * <ol>
 *   <li>{@link #REJECTED}: the study's manifest is deprecated in the registry (IOCM), or the archive holds an IOCM
 *       rejection note for it;</li>
 *   <li>{@link #INVALID_BSN}: the registry's BSN fails the elfproef;</li>
 *   <li>{@link #INCOMPLETE}: the archive holds nothing, or its series and instances differ from the KOS manifest's
 *       (per series: SOP Instance UIDs the manifest references that the archive lacks, or that the archive holds and the
 *       manifest does not reference; when the manifest's UIDs are unknown, the instance counts per series, which the
 *       detail says; an unknown manifest content counts as incomplete — completeness cannot be shown);</li>
 *   <li>{@link #IDENTITY_MISMATCH}: an instance's Patient ID / Issuer of Patient ID does not resolve to the registry's
 *       patient (the BSN in the header, else the source's identity strategy: PIX or the XREF cross-references), or
 *       Patient's Birth Date or Sex differ between instances;</li>
 *   <li>{@link #MISSING_ATTRIBUTE}: Modality, Body Part Examined or Anatomic Region Sequence, Study Date; for image
 *       instances (those with Pixel Data, or of an image storage class) Rows, Columns, Bits Allocated, Samples per
 *       Pixel, Photometric Interpretation and Pixel Data itself;</li>
 *   <li>{@link #INCONSISTENT}: Study Instance UID, Study Date differing across instances or from the registry entry;
 *       a modality not registered for the study;</li>
 *   <li>{@link #BURNED_IN_ANNOTATION}: Burned In Annotation = YES on any instance. Pixel cleaning is not implemented,
 *       so such a study is always excluded;</li>
 *   <li>the configured extra rules ({@link HeaderRule}), each with its own code.</li>
 * </ol>
 * Structured reports, presentation states, key object selections and other non-image instances are not held to the
 * pixel module; KOS instances (manifests, rejection notes) are left out of the completeness comparison.
 */
public final class ValidationGate {

    public static final String REJECTED = "REJECTED";
    public static final String INVALID_BSN = "INVALID_BSN";
    public static final String INCOMPLETE = "INCOMPLETE";
    public static final String IDENTITY_MISMATCH = "IDENTITY_MISMATCH";
    public static final String MISSING_ATTRIBUTE = "MISSING_ATTRIBUTE";
    public static final String INCONSISTENT = "INCONSISTENT";
    public static final String BURNED_IN_ANNOTATION = "BURNED_IN_ANNOTATION";

    /** DICOM tags the gate reads. */
    public static final int STUDY_DATE = 0x00080020;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int MODALITY = 0x00080060;
    public static final int ANATOMIC_REGION_SEQUENCE = 0x00082218;
    public static final int PATIENT_ID = 0x00100020;
    public static final int ISSUER_OF_PATIENT_ID = 0x00100021;
    public static final int PATIENT_BIRTH_DATE = 0x00100030;
    public static final int PATIENT_SEX = 0x00100040;
    public static final int BODY_PART_EXAMINED = 0x00180015;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BURNED_IN_ANNOTATION_TAG = 0x00280301;
    public static final int CONCEPT_NAME_CODE_SEQUENCE = 0x0040A043;

    /** Key Object Selection Document Storage (manifests, IOCM rejection notes). */
    public static final String KOS_CLASS = "1.2.840.10008.5.1.4.1.1.88.59";
    /** Document titles of IOCM rejection notes (DCM). */
    public static final Set<String> REJECTION_TITLES = Set.of("113001", "113037", "113038", "113039");

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Map<Integer, String> PIXEL_MODULE = pixelModule();

    /**
     * A configured extra rule over one attribute of every (non-KOS) instance.
     *
     * @param code      the exclusion code (letters, digits, '_' or '-')
     * @param tag       the attribute
     * @param required  the value must match this (whole value); an absent attribute fails it; null = no requirement
     * @param forbidden the value must not match this (whole value); null = nothing forbidden
     * @param description what the rule is about, for the detail (no patient data)
     */
    public record HeaderRule(String code, int tag, Pattern required, Pattern forbidden, String description) {
        public HeaderRule {
            if (code == null || !code.matches("[A-Z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("a validation rule's code is 1-32 upper-case letters, digits, '_' or '-'");
            }
            if (required == null && forbidden == null) {
                throw new IllegalArgumentException("validation rule " + code + " has neither a required nor a forbidden pattern");
            }
        }
    }

    private final List<HeaderRule> extraRules;
    private final PatientIdentityResolver sourceIdentity;
    private final HeaderIdentityResolver headerIdentity = new HeaderIdentityResolver();

    /**
     * @param extraRules     the configured extra rules
     * @param sourceIdentity how a source's local patient id resolves to a BSN (PIX, XREF) when the header carries no
     *                       BSN; given the source's id
     */
    public ValidationGate(List<HeaderRule> extraRules, PatientIdentityResolver sourceIdentity) {
        this.extraRules = List.copyOf(extraRules);
        this.sourceIdentity = Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    }

    /** A gate with the built-in rules only, resolving identities from the header's BSN alone. */
    public static ValidationGate standard() {
        return new ValidationGate(List.of(), (source, patient) ->
                new IdentityResolution.Unresolved(IdentityResolution.Reason.NO_BSN, "no identity strategy"));
    }

    /**
     * Checks one study.
     *
     * @param study    what the registry knows
     * @param sourceId the connected archive the headers come from (for its identity strategy), or null
     * @param headers  every instance the archive holds of the study
     * @return the exclusion, or empty when the study passes
     */
    public Optional<Exclusion> check(StudyCandidate study, String sourceId, List<InstanceHeader> headers) {
        List<InstanceHeader> content = new ArrayList<>();
        for (InstanceHeader h : headers) {
            if (KOS_CLASS.equals(h.get(SOP_CLASS_UID))) {
                String title = h.get(CONCEPT_NAME_CODE_SEQUENCE);
                if (title != null && REJECTION_TITLES.contains(title)) {
                    return exclude(REJECTED, "the source archive holds an IOCM rejection note (" + title + ") for the study");
                }
            } else {
                content.add(h);
            }
        }
        if (study.rejected()) {
            return exclude(REJECTED, "the study's manifest is deprecated in the registry (IOCM rejection)");
        }
        if (!Bsn.isValid(study.bsn())) {
            return exclude(INVALID_BSN, "the registered patient identifier fails the BSN elfproef");
        }
        Optional<Exclusion> result = completeness(study.manifest(), content);
        if (result.isEmpty()) {
            result = identity(study, sourceId, content);
        }
        if (result.isEmpty()) {
            result = attributes(content);
        }
        if (result.isEmpty()) {
            result = consistency(study, content);
        }
        if (result.isEmpty()) {
            result = burnedIn(content);
        }
        if (result.isEmpty()) {
            result = extra(content);
        }
        return result;
    }

    private static Optional<Exclusion> completeness(ManifestContents manifest, List<InstanceHeader> content) {
        if (content.isEmpty()) {
            return exclude(INCOMPLETE, "the source archive holds no instance of the study");
        }
        if (manifest == null || manifest.series().isEmpty()) {
            return exclude(INCOMPLETE, "the registered manifest's content is unknown: completeness cannot be shown");
        }
        Map<String, Set<String>> archived = new HashMap<>();
        int unnamed = 0;
        for (InstanceHeader h : content) {
            String series = Objects.requireNonNullElse(h.get(SERIES_INSTANCE_UID), "");
            String sop = h.get(SOP_INSTANCE_UID);
            archived.computeIfAbsent(series, k -> new LinkedHashSet<>()).add(sop == null ? "?" + unnamed++ : sop);
        }
        if (manifest.instancesKnown()) {
            return byInstance(manifest, archived);
        }
        int missing = 0;
        int extra = 0;
        Map<String, Integer> expected = new HashMap<>();
        for (ManifestContents.Series s : manifest.series()) {
            expected.merge(s.uid(), s.instances(), Integer::sum);
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            int held = archived.getOrDefault(e.getKey(), Set.of()).size();
            missing += Math.max(0, e.getValue() - held);
            extra += Math.max(0, held - e.getValue());
        }
        for (Map.Entry<String, Set<String>> e : archived.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                extra += e.getValue().size();
            }
        }
        if (missing > 0 || extra > 0) {
            return exclude(INCOMPLETE, "the source archive's instances differ from the manifest: " + missing + " missing, "
                    + extra + " not in the manifest (manifest: " + manifest.seriesCount() + " series, "
                    + manifest.instanceCount() + " instances; compared by count per series, the manifest's SOP Instance"
                    + " UIDs being unknown)");
        }
        return Optional.empty();
    }

    /** Compares SOP Instance UIDs per series: every referenced instance held, nothing held that is not referenced. */
    private static Optional<Exclusion> byInstance(ManifestContents manifest, Map<String, Set<String>> archived) {
        Map<String, Set<String>> expected = new HashMap<>();
        for (ManifestContents.Series s : manifest.series()) {
            expected.computeIfAbsent(s.uid(), k -> new HashSet<>()).addAll(s.sopInstanceUids());
        }
        int missing = 0;
        int extra = 0;
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            Set<String> held = archived.getOrDefault(e.getKey(), Set.of());
            missing += (int) e.getValue().stream().filter(uid -> !held.contains(uid)).count();
        }
        for (Map.Entry<String, Set<String>> e : archived.entrySet()) {
            Set<String> referenced = expected.getOrDefault(e.getKey(), Set.of());
            extra += (int) e.getValue().stream().filter(uid -> !referenced.contains(uid)).count();
        }
        if (missing > 0 || extra > 0) {
            return exclude(INCOMPLETE, "the source archive's instances differ from the manifest: " + missing + " missing, "
                    + extra + " not in the manifest (manifest: " + manifest.seriesCount() + " series, "
                    + manifest.instanceCount() + " instances; compared by SOP Instance UID per series)");
        }
        return Optional.empty();
    }

    private Optional<Exclusion> identity(StudyCandidate study, String sourceId, List<InstanceHeader> content) {
        Map<String, Boolean> resolved = new HashMap<>();
        Set<String> birthDates = new LinkedHashSet<>();
        Set<String> sexes = new LinkedHashSet<>();
        for (InstanceHeader h : content) {
            String id = Objects.requireNonNullElse(h.get(PATIENT_ID), "");
            String issuer = Objects.requireNonNullElse(h.get(ISSUER_OF_PATIENT_ID), "");
            boolean matches = resolved.computeIfAbsent(id + "\u0000" + issuer,
                    k -> resolvesTo(study.bsn(), sourceId, DicomPatient.of(id.isEmpty() ? null : id, issuer.isEmpty() ? null : issuer)));
            if (!matches) {
                return exclude(IDENTITY_MISMATCH, "the Patient ID / Issuer of Patient ID of an instance does not resolve to"
                        + " the registered patient");
            }
            birthDates.add(Objects.requireNonNullElse(h.get(PATIENT_BIRTH_DATE), ""));
            sexes.add(Objects.requireNonNullElse(h.get(PATIENT_SEX), ""));
        }
        if (birthDates.size() > 1) {
            return exclude(IDENTITY_MISMATCH, "Patient's Birth Date differs between instances");
        }
        if (sexes.size() > 1) {
            return exclude(IDENTITY_MISMATCH, "Patient's Sex differs between instances");
        }
        return Optional.empty();
    }

    private boolean resolvesTo(String bsn, String sourceId, DicomPatient patient) {
        if (patient.patientId() == null) {
            return false;
        }
        IdentityResolution byHeader = headerIdentity.resolve(sourceId, patient);
        if (byHeader instanceof IdentityResolution.Found found) {
            return found.bsn().value().equals(bsn);
        }
        if (byHeader instanceof IdentityResolution.Unresolved u && u.reason() != IdentityResolution.Reason.NO_BSN) {
            return false; // an invalid or ambiguous BSN in the header
        }
        IdentityResolution bySource;
        try {
            bySource = sourceIdentity.resolve(sourceId, patient);
        } catch (RuntimeException e) {
            return false;
        }
        return bySource instanceof IdentityResolution.Found found && found.bsn().value().equals(bsn);
    }

    private static Optional<Exclusion> attributes(List<InstanceHeader> content) {
        for (InstanceHeader h : content) {
            if (h.get(MODALITY) == null) {
                return missing("Modality (0008,0060)");
            }
            if (h.get(BODY_PART_EXAMINED) == null && h.get(ANATOMIC_REGION_SEQUENCE) == null) {
                return missing("Body Part Examined (0018,0015) or Anatomic Region Sequence (0008,2218)");
            }
            if (h.get(STUDY_DATE) == null) {
                return missing("Study Date (0008,0020)");
            }
            if (isImage(h)) {
                for (Map.Entry<Integer, String> attribute : PIXEL_MODULE.entrySet()) {
                    if (h.get(attribute.getKey()) == null) {
                        return missing(attribute.getValue());
                    }
                }
                if (!h.pixelData()) {
                    return missing("Pixel Data (7FE0,0010)");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Exclusion> missing(String attribute) {
        return exclude(MISSING_ATTRIBUTE, attribute + " is missing in an instance");
    }

    /** An image: it has pixel data, or its storage class is not one of the known non-image kinds. */
    static boolean isImage(InstanceHeader h) {
        if (h.pixelData()) {
            return true;
        }
        String sopClass = h.get(SOP_CLASS_UID);
        if (sopClass == null) {
            return true;
        }
        return !(sopClass.startsWith("1.2.840.10008.5.1.4.1.1.88.")          // structured reports, KOS
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.11.")         // presentation states
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.104.")        // encapsulated documents
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.9.")          // waveforms
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.66")          // raw data, registration, segmentation...
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.481.")        // RT objects
                || sopClass.equals("1.2.840.10008.5.1.4.1.1.67"));            // real world value mapping
    }

    private static Optional<Exclusion> consistency(StudyCandidate study, List<InstanceHeader> content) {
        Set<String> uids = new LinkedHashSet<>();
        Set<String> dates = new LinkedHashSet<>();
        Set<String> modalities = new LinkedHashSet<>();
        for (InstanceHeader h : content) {
            uids.add(Objects.requireNonNullElse(h.get(STUDY_INSTANCE_UID), ""));
            dates.add(h.get(STUDY_DATE).trim());
            modalities.add(h.get(MODALITY).trim().toUpperCase(Locale.ROOT));
        }
        if (uids.size() > 1 || !uids.contains(study.studyUid())) {
            return exclude(INCONSISTENT, "Study Instance UID differs between instances or from the registry");
        }
        if (dates.size() > 1) {
            return exclude(INCONSISTENT, "Study Date differs between instances (" + dates.size() + " dates)");
        }
        if (study.started() != null) {
            String registered = LocalDate.ofInstant(study.started(), AMSTERDAM).format(DA);
            if (!dates.contains(registered)) {
                return exclude(INCONSISTENT, "Study Date differs from the registered study start");
            }
        }
        if (!study.modalities().isEmpty()) {
            Set<String> registered = new LinkedHashSet<>();
            study.modalities().forEach(m -> registered.add(m.toUpperCase(Locale.ROOT)));
            for (String m : modalities) {
                if (!registered.contains(m)) {
                    return exclude(INCONSISTENT, "Modality " + m + " of an instance is not among the registered modalities "
                            + registered);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Exclusion> burnedIn(List<InstanceHeader> content) {
        for (InstanceHeader h : content) {
            String value = h.get(BURNED_IN_ANNOTATION_TAG);
            if (value != null && value.trim().equalsIgnoreCase("YES")) {
                return exclude(BURNED_IN_ANNOTATION, "Burned In Annotation (0028,0301) is YES; pixel cleaning is not"
                        + " implemented, so the study cannot be de-identified");
            }
        }
        return Optional.empty();
    }

    private Optional<Exclusion> extra(List<InstanceHeader> content) {
        for (HeaderRule rule : extraRules) {
            String name = String.format("(%04X,%04X)", rule.tag() >>> 16, rule.tag() & 0xFFFF);
            String about = rule.description() == null || rule.description().isBlank() ? name : rule.description() + " " + name;
            for (InstanceHeader h : content) {
                String value = h.get(rule.tag());
                if (rule.required() != null && (value == null || !rule.required().matcher(value).matches())) {
                    return exclude(rule.code(), about + " does not have the required value in an instance");
                }
                if (rule.forbidden() != null && value != null && rule.forbidden().matcher(value).matches()) {
                    return exclude(rule.code(), about + " has a forbidden value in an instance");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Exclusion> exclude(String code, String detail) {
        return Optional.of(new Exclusion(code, detail));
    }

    private static Map<Integer, String> pixelModule() {
        Map<Integer, String> m = new java.util.LinkedHashMap<>();
        m.put(ROWS, "Rows (0028,0010)");
        m.put(COLUMNS, "Columns (0028,0011)");
        m.put(BITS_ALLOCATED, "Bits Allocated (0028,0100)");
        m.put(SAMPLES_PER_PIXEL, "Samples per Pixel (0028,0002)");
        m.put(PHOTOMETRIC_INTERPRETATION, "Photometric Interpretation (0028,0004)");
        return m;
    }

    /** Parses a tag written as 8 hex digits ({@code 00080070}) or {@code (0008,0070)}. */
    public static int tag(String text) {
        String hex = text == null ? "" : text.replaceAll("[(),\\s]", "");
        if (!hex.matches("[0-9A-Fa-f]{8}")) {
            throw new IllegalArgumentException("a DICOM tag is 8 hex digits, e.g. 00080070 or (0008,0070): " + text);
        }
        return (int) Long.parseLong(hex, 16);
    }
}
