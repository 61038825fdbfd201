package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.registry.priors.Laterality;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What the national corpus' studies are: the modality mix, and per modality the exam kinds with their body region,
 * Dutch description and codes, written the way Beeldbrug's {@code ExamNormaliser} reads them (DICOM modality code,
 * SNOMED CT body structure and the description: "MRI knie links" → MR, knee, LEFT; see NationalCorpusNormaliserTest).
 *
 * <p>Modality mix (share of all studies): XR 45 % (DX 65 % / CR 35 % of them), US 23 %, CT 15 %, MR 8 %, MG 5 %,
 * NM 4 %. Source: /work/shared/design/domain-nl.md (about 14 million imaging exams a year, about 2 million CT and
 * 1 million MRI in 2020, growing 5–10 % a year: CT ≈ 15 %, MR ≈ 8 %); the rest split as in the RIVM reports on
 * medical radiation in the Netherlands (conventional radiography the largest group, about half of all exams;
 * ultrasound about a quarter; diagnostic mammography and nuclear medicine a few percent each — the population
 * screening for breast cancer is a separate programme and not in hospital archives). Shares are rounded; the
 * generator's test checks them within 1.5 percentage points.
 *
 * <p>Where (share done at a ZDC, for GP referrals; the rest at hospitals): XR 35 %, US 40 %, MR 35 %, MG 30 %,
 * CT 5 %, NM 0 % — hospitals do most CT, MR and all NM.
 */
public final class ExamCatalogue {

    /** One modality: canonical name, share (per mille of all studies), share done at a ZDC (per cent). */
    public record ModalityShare(String modality, int perMille, int zdcPercent) {
    }

    public static final List<ModalityShare> MODALITIES = List.of(
            new ModalityShare("XR", 450, 35),
            new ModalityShare("US", 230, 40),
            new ModalityShare("CT", 150, 5),
            new ModalityShare("MR", 80, 35),
            new ModalityShare("MG", 50, 30),
            new ModalityShare("NM", 40, 0));

    /**
     * One exam kind. {@code description} may hold {@code %s} for the side (then the region is paired and a side is
     * drawn); {@code sex} 'F', 'M' or ' ' (either); {@code loinc} null where no LOINC/RSNA Playbook code is used.
     */
    public record Exam(String modality, String region, String snomed, String regionName, String description, int weight,
                       char sex, String loinc, String loincDisplay) {

        public boolean sided() {
            return description.contains("%s");
        }

        public String describe(Laterality side) {
            return sided() ? String.format(description, sideWord(side)) : description;
        }
    }

    public static final String LEFT = "7771000";
    public static final String RIGHT = "24028007";
    public static final String BILATERAL = "51440002";

    public static final List<Exam> EXAMS = List.of(
            // XR
            new Exam("XR", "chest", "51185008", "Thorax", "X-thorax", 30, ' ', "36643-5", "X-thorax 2 richtingen"),
            new Exam("XR", "knee", "72696002", "Knie", "X-knie %s", 12, ' ', null, null),
            new Exam("XR", "hip", "29836001", "Heup", "X-heup %s", 8, ' ', null, null),
            new Exam("XR", "lumbar-spine", "122496007", "Lumbale wervelkolom", "X-LWK", 6, ' ', null, null),
            new Exam("XR", "ankle", "344001", "Enkel", "X-enkel %s", 8, ' ', null, null),
            new Exam("XR", "wrist", "8205005", "Pols", "X-pols %s", 8, ' ', null, null),
            new Exam("XR", "hand", "85562004", "Hand", "X-hand %s", 7, ' ', null, null),
            new Exam("XR", "foot", "56459004", "Voet", "X-voet %s", 6, ' ', null, null),
            new Exam("XR", "shoulder", "16982005", "Schouder", "X-schouder %s", 7, ' ', null, null),
            new Exam("XR", "pelvis", "12921003", "Bekken", "X-bekken", 5, ' ', null, null),
            new Exam("XR", "abdomen", "818983003", "Abdomen", "X-buikoverzicht", 3, ' ', null, null),
            // US
            new Exam("US", "upper-abdomen", "818983003", "Abdomen", "Echo bovenbuik", 25, ' ', null, null),
            new Exam("US", "abdomen", "818983003", "Abdomen", "Echo abdomen", 10, ' ', null, null),
            new Exam("US", "lower-abdomen", "818983003", "Abdomen", "Echo onderbuik", 8, ' ', null, null),
            new Exam("US", "breast", "76752008", "Mamma", "Echo mamma %s", 10, 'F', null, null),
            new Exam("US", "thyroid", "69748006", "Schildklier", "Echo schildklier", 6, ' ', null, null),
            new Exam("US", "kidney", "64033007", "Nier", "Echo nieren", 8, ' ', null, null),
            new Exam("US", "shoulder", "16982005", "Schouder", "Echo schouder %s", 10, ' ', null, null),
            new Exam("US", "neck", "45048000", "Hals", "Echo hals", 5, ' ', null, null),
            // CT
            new Exam("CT", "chest", "51185008", "Thorax", "CT thorax", 25, ' ', "24627-2", "CT thorax"),
            new Exam("CT", "head", "69536005", "Hoofd", "CT hoofd", 20, ' ', "24725-4", "CT hoofd"),
            new Exam("CT", "abdomen", "818983003", "Abdomen", "CT abdomen met contrast", 20, ' ', null, null),
            new Exam("CT", "lung", "39607008", "Long", "CT longembolie", 8, ' ', null, null),
            new Exam("CT", "lumbar-spine", "122496007", "Lumbale wervelkolom", "CT LWK", 8, ' ', null, null),
            new Exam("CT", "cervical-spine", "122494005", "Cervicale wervelkolom", "CT CWK", 4, ' ', null, null),
            new Exam("CT", "ankle", "344001", "Enkel", "CT enkel %s", 5, ' ', null, null),
            new Exam("CT", "wrist", "8205005", "Pols", "CT pols %s", 3, ' ', null, null),
            new Exam("CT", "pelvis", "12921003", "Bekken", "CT bekken", 5, ' ', null, null),
            // MR
            new Exam("MR", "knee", "72696002", "Knie", "MRI knie %s", 22, ' ', null, null),
            new Exam("MR", "brain", "12738006", "Hersenen", "MRI hersenen", 22, ' ', "24590-2", "MRI hersenen"),
            new Exam("MR", "lumbar-spine", "122496007", "Lumbale wervelkolom", "MRI LWK", 18, ' ', null, null),
            new Exam("MR", "cervical-spine", "122494005", "Cervicale wervelkolom", "MRI CWK", 8, ' ', null, null),
            new Exam("MR", "shoulder", "16982005", "Schouder", "MRI schouder %s", 8, ' ', null, null),
            new Exam("MR", "hip", "29836001", "Heup", "MRI heup %s", 5, ' ', null, null),
            new Exam("MR", "prostate", "41216001", "Prostaat", "MRI prostaat", 7, 'M', null, null),
            new Exam("MR", "breast", "76752008", "Mamma", "MRI mammae %s", 4, 'F', null, null),
            new Exam("MR", "ankle", "344001", "Enkel", "MRI enkel %s", 4, ' ', null, null),
            new Exam("MR", "pelvis", "12921003", "Bekken", "MRI bekken", 2, ' ', null, null),
            // MG (breast: the DICOM code MG says so too)
            new Exam("MG", "breast", "76752008", "Mamma", "Mammografie %s", 1, 'F', null, null),
            // NM
            new Exam("NM", "skeleton", "272673000", "Skelet", "Skeletscintigrafie", 40, ' ', null, null),
            new Exam("NM", "heart", "80891009", "Hart", "Hartscintigrafie", 20, ' ', null, null),
            new Exam("NM", "thyroid", "69748006", "Schildklier", "Schildklierscintigrafie", 15, ' ', null, null),
            new Exam("NM", "lung", "39607008", "Long", "Longscintigrafie", 15, ' ', null, null),
            new Exam("NM", "kidney", "64033007", "Nier", "Nierscintigrafie", 10, ' ', null, null));

    private ExamCatalogue() {
    }

    static String sideWord(Laterality side) {
        return switch (side) {
            case LEFT -> "links";
            case RIGHT -> "rechts";
            case BOTH -> "beiderzijds";
            case UNKNOWN -> throw new IllegalArgumentException("a sided exam needs a side");
        };
    }

    /** The SNOMED CT laterality qualifier of a side. */
    public static String sideCode(Laterality side) {
        return switch (side) {
            case LEFT -> LEFT;
            case RIGHT -> RIGHT;
            case BOTH -> BILATERAL;
            case UNKNOWN -> null;
        };
    }

    public static String sideDisplay(Laterality side) {
        return switch (side) {
            case LEFT -> "Links";
            case RIGHT -> "Rechts";
            case BOTH -> "Beiderzijds";
            case UNKNOWN -> null;
        };
    }

    /** A side for a sided exam: mammography mostly both, anything else left or right (both in 1 of 20). */
    static Laterality side(Exam exam, SplittableRandom random) {
        int r = random.nextInt(100);
        if ("MG".equals(exam.modality())) {
            return r < 80 ? Laterality.BOTH : r < 90 ? Laterality.LEFT : Laterality.RIGHT;
        }
        return r < 5 ? Laterality.BOTH : r < 52 ? Laterality.LEFT : Laterality.RIGHT;
    }

    /** The DICOM modality code of a study of canonical modality {@code modality} (XR: DX or CR). */
    static String dicomModality(String modality, SplittableRandom random) {
        if ("XR".equals(modality)) {
            return random.nextInt(100) < 65 ? "DX" : "CR";
        }
        return modality;
    }

    /** An exam of {@code modality} the patient can have (sex), by weight. */
    static Exam exam(String modality, char sex, SplittableRandom random) {
        int total = 0;
        for (Exam e : EXAMS) {
            if (e.modality().equals(modality) && (e.sex() == ' ' || e.sex() == sex)) {
                total += e.weight();
            }
        }
        int r = random.nextInt(total);
        for (Exam e : EXAMS) {
            if (e.modality().equals(modality) && (e.sex() == ' ' || e.sex() == sex)) {
                r -= e.weight();
                if (r < 0) {
                    return e;
                }
            }
        }
        throw new IllegalStateException();
    }
}
