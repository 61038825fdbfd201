package nl.beeldbrug.registry.bridge;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The coded values of the XDS-I metadata the bridge writes: DICOM modality codes (DCM, PS3.16 CID 29/33),
 * Body Part Examined → SNOMED CT body region (PS3.16 Annex L, the common values), and the affinity domain's
 * class/type/facility/practice codes (the same as the demo data set).
 */
public final class XdsiCodes {

    public static final String DCM = "1.2.840.10008.2.16.4";
    public static final String SNOMED = "2.16.840.1.113883.6.96";
    public static final String LOINC = "2.16.840.1.113883.6.1";
    public static final String DICOM_UIDS = "1.2.840.10008.2.6.1";
    public static final String IHE_FORMATS = "1.3.6.1.4.1.19376.1.2.3";
    public static final String CONFIDENTIALITY = "2.16.840.1.113883.5.25";
    public static final String FACILITY_TYPES = "2.16.840.1.113883.2.4.15.1060";
    public static final String SPECIALTIES = "2.16.840.1.113883.2.4.6.7";

    public static final Code IMAGING_STUDY = code("18748-4", "Diagnostic imaging study", LOINC);
    public static final Code RADIOLOGY_REPORT = code("18782-3", "Radiology Study observation (narrative)", LOINC);
    public static final Code KOS_FORMAT = code(ArchiveInstance.KOS, "Key Object Selection Document", DICOM_UIDS);
    public static final Code PDF_FORMAT = code("urn:ihe:rad:PDF", "Radiology report PDF", IHE_FORMATS);
    public static final Code NORMAL = code("N", "normal", CONFIDENTIALITY);
    public static final Code HOSPITAL = code("V4", "Ziekenhuis", FACILITY_TYPES);
    public static final Code DIAGNOSTIC_CENTRE = code("Z5", "Diagnostisch centrum", FACILITY_TYPES);
    public static final Code RADIOLOGY = code("0362", "Radiologie", SPECIALTIES);

    private static final Map<String, String> MODALITIES = Map.ofEntries(
            Map.entry("CT", "Computed Tomography"), Map.entry("MR", "Magnetic Resonance"),
            Map.entry("CR", "Computed Radiography"), Map.entry("DX", "Digital Radiography"),
            Map.entry("US", "Ultrasound"), Map.entry("MG", "Mammography"), Map.entry("NM", "Nuclear Medicine"),
            Map.entry("PT", "Positron emission tomography"), Map.entry("XA", "X-Ray Angiography"),
            Map.entry("RF", "Radio Fluoroscopy"), Map.entry("IO", "Intra-oral Radiography"),
            Map.entry("PX", "Panoramic X-Ray"), Map.entry("OT", "Other"), Map.entry("SR", "SR Document"),
            Map.entry("DOC", "Document"), Map.entry("ECG", "Electrocardiography"), Map.entry("XC", "External-camera Photography"),
            Map.entry("OP", "Ophthalmic Photography"), Map.entry("OCT", "Optical Coherence Tomography"),
            Map.entry("BMD", "Bone Mineral Densitometry"), Map.entry("RG", "Radiographic imaging"),
            Map.entry("SM", "Slide Microscopy"), Map.entry("ES", "Endoscopy"));

    private static final Map<String, String[]> BODY_PARTS = Map.ofEntries(
            Map.entry("CHEST", new String[]{"51185008", "Thorax"}),
            Map.entry("THORAX", new String[]{"51185008", "Thorax"}),
            Map.entry("HEAD", new String[]{"69536005", "Hoofd"}),
            Map.entry("BRAIN", new String[]{"12738006", "Hersenen"}),
            Map.entry("SKULL", new String[]{"89546000", "Schedel"}),
            Map.entry("NECK", new String[]{"45048000", "Hals"}),
            Map.entry("ABDOMEN", new String[]{"818983003", "Abdomen"}),
            Map.entry("PELVIS", new String[]{"816092008", "Bekken"}),
            Map.entry("CHESTABDOMEN", new String[]{"416550000", "Thorax en abdomen"}),
            Map.entry("KNEE", new String[]{"72696002", "Knie"}),
            Map.entry("BREAST", new String[]{"76752008", "Mamma"}),
            Map.entry("HIP", new String[]{"24136001", "Heup"}),
            Map.entry("SHOULDER", new String[]{"16982005", "Schouder"}),
            Map.entry("HAND", new String[]{"85562004", "Hand"}),
            Map.entry("FOOT", new String[]{"56459004", "Voet"}),
            Map.entry("ANKLE", new String[]{"70258002", "Enkel"}),
            Map.entry("WRIST", new String[]{"74670003", "Pols"}),
            Map.entry("SPINE", new String[]{"421060004", "Wervelkolom"}),
            Map.entry("CSPINE", new String[]{"122494005", "Cervicale wervelkolom"}),
            Map.entry("TSPINE", new String[]{"122495006", "Thoracale wervelkolom"}),
            Map.entry("LSPINE", new String[]{"122496007", "Lumbale wervelkolom"}),
            Map.entry("HEART", new String[]{"80891009", "Hart"}),
            Map.entry("WHOLEBODY", new String[]{"38266002", "Gehele lichaam"}),
            Map.entry("EXTREMITY", new String[]{"66019005", "Extremiteit"}));

    private XdsiCodes() {
    }

    public static Code code(String code, String display, String scheme) {
        return new Code(code, new LocalizedString(display, "en-US", "UTF-8"), scheme);
    }

    /** The DCM code of a modality; an unknown modality keeps its value as code and display. */
    public static Code modality(String modality) {
        String m = modality.trim().toUpperCase(Locale.ROOT);
        return code(m, MODALITIES.getOrDefault(m, m), DCM);
    }

    /** The SNOMED CT body region of a Body Part Examined value, when it is one of the common ones. */
    public static Optional<Code> bodyRegion(String bodyPartExamined) {
        String[] c = BODY_PARTS.get(bodyPartExamined.trim().toUpperCase(Locale.ROOT).replace(" ", ""));
        return c == null ? Optional.empty() : Optional.of(code(c[0], c[1], SNOMED));
    }
}
