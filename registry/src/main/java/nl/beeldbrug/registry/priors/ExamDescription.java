package nl.beeldbrug.registry.priors;

import java.util.List;

/**
 * What a source says about an exam, as it says it: coded values (system + code: SNOMED CT body structures,
 * DICOM modality codes, DICOM Body Part Examined, LOINC procedure codes) and free text (study description,
 * document title, order text) in Dutch or English.
 */
public record ExamDescription(List<Code> codes, String text) {

    /** Code systems the normaliser reads. */
    public static final String SNOMED = "2.16.840.1.113883.6.96";
    public static final String DCM = "1.2.840.10008.2.16.4";
    public static final String LOINC = "2.16.840.1.113883.6.1";
    /** DICOM Body Part Examined (0018,0015) is a defined term, not a coded value: its own pseudo system. */
    public static final String BODY_PART_EXAMINED = "BPE";

    public ExamDescription {
        codes = List.copyOf(codes);
    }

    public static ExamDescription text(String text) {
        return new ExamDescription(List.of(), text);
    }

    /** A coded value; {@code system} is an OID or one of this record's constants. */
    public record Code(String system, String code) {
    }
}
