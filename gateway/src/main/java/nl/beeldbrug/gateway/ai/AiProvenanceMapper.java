package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;

/**
 * The FHIR R4 Provenance of a study's first release to an AI platform: target {@code ImagingStudy/<pseudoStudyUid>}
 * (the platform's de-identified view; never an original UID), activity ISO 21089 lifecycle event {@code deidentify},
 * Beeldbrug as {@code assembler} and the platform, which holds the de-identified copy from then on, as
 * {@code custodian}; reason and policy purpose AI; entities the de-identification method as DICOM codes (CID 7050:
 * 113100 Basic Application Confidentiality Profile, 113107 Retain Longitudinal Temporal Information Modified Dates,
 * 113105 Clean Descriptors).
 */
public final class AiProvenanceMapper {

    public static final String LIFECYCLE = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
    public static final String PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    public static final String PURPOSE = "https://beeldbrug.nl/fhir/CodeSystem/purpose-of-use";
    public static final String POLICY = "https://beeldbrug.nl/policy/ai-release";
    public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    /** The de-identification method (PS3.16 CID 7050) applied to every released instance. */
    static final String[][] METHOD = {
            {"113100", "Basic Application Confidentiality Profile"},
            {"113107", "Retain Longitudinal Temporal Information Modified Dates Option"},
            {"113105", "Clean Descriptors Option"}};

    private AiProvenanceMapper() {
    }

    public static Provenance toFhir(ReleaseRecords.Released released, String platformName) {
        Provenance p = new Provenance();
        p.setId(released.id().toString());
        p.addTarget(new Reference("ImagingStudy/" + released.pseudoStudyUid()));
        p.setRecorded(Date.from(released.recorded()));
        p.addPolicy(POLICY);
        p.setActivity(new CodeableConcept(new Coding(LIFECYCLE, "deidentify", null))
                .setText("de-identified and released to an AI platform over " + released.channel()));
        p.addReason(new CodeableConcept(new Coding(PURPOSE, "AI", "AI model training or validation")));
        Provenance.ProvenanceAgentComponent beeldbrug = p.addAgent();
        beeldbrug.setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "assembler", "Assembler")));
        beeldbrug.setWho(new Reference().setDisplay("Beeldbrug"));
        Provenance.ProvenanceAgentComponent platform = p.addAgent();
        platform.setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "custodian", "Custodian")));
        platform.setWho(new Reference().setIdentifier(new Identifier().setSystem(FhirNaming.URA)
                .setValue(released.platform().value())).setDisplay(platformName));
        for (String[] method : METHOD) {
            p.addEntity().setRole(Provenance.ProvenanceEntityRole.DERIVATION)
                    .setWhat(new Reference().setIdentifier(new Identifier().setSystem(DCM).setValue(method[0]))
                            .setDisplay(method[1]));
        }
        return p;
    }

    /** The de-identification method as JSON (export manifests). */
    static ObjectNode deidentificationJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("standard", "DICOM PS3.15 Annex E");
        var codes = node.putArray("method");
        for (String[] method : METHOD) {
            codes.addObject().put("system", DCM).put("code", method[0]).put("display", method[1]);
        }
        return node;
    }
}
