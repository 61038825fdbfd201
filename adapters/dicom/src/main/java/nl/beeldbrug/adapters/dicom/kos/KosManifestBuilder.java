package nl.beeldbrug.adapters.dicom.kos;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.Uids;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;

/**
 * Builds an XDS-I.b Key Object Selection manifest (PS3.3 A.35.4, template TID 2010; IHE RAD TF-3 4.68.4.1.2.2)
 * from a study's instance list. Pure: time from the injected clock, UIDs from the injected supplier.
 */
public final class KosManifestBuilder {
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    private static final String IMAGE_STORAGE_HINT = "Image";

    private final Clock clock;
    private final Supplier<String> uids;

    public KosManifestBuilder(Clock clock, Supplier<String> uids) {
        this.clock = clock;
        this.uids = uids;
    }

    public KosManifestBuilder(Clock clock) {
        this(clock, Uids::create);
    }

    /**
     * @param study      patient and study attributes (Patient Name/ID/Issuer/Birth Date/Sex, Study Instance UID,
     *                   Study Date/Time, Accession Number, Study ID, Referring Physician)
     * @param references every instance of the study, with retrieve AE title and location UID
     */
    public Attributes build(Attributes study, List<InstanceReference> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("a manifest references at least one instance");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        Attributes kos = new Attributes();
        kos.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        kos.setString(Tag.InstanceCreationDate, VR.DA, DA.format(now));
        kos.setString(Tag.InstanceCreationTime, VR.TM, TM.format(now));
        kos.setString(Tag.SOPClassUID, VR.UI, UID.KeyObjectSelectionDocumentStorage);
        kos.setString(Tag.SOPInstanceUID, VR.UI, uids.get());
        copy(study, kos, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ReferringPhysicianName,
                Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.PatientBirthDate, Tag.PatientSex,
                Tag.StudyInstanceUID, Tag.StudyID);
        kos.setString(Tag.Modality, VR.CS, "KO");
        kos.setString(Tag.Manufacturer, VR.LO, "Beeldbrug");
        kos.setString(Tag.SeriesInstanceUID, VR.UI, uids.get());
        kos.setString(Tag.SeriesNumber, VR.IS, "1");
        kos.newSequence(Tag.ReferencedPerformedProcedureStepSequence);
        kos.setString(Tag.InstanceNumber, VR.IS, "1");
        kos.setString(Tag.ContentDate, VR.DA, DA.format(now));
        kos.setString(Tag.ContentTime, VR.TM, TM.format(now));
        kos.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(kos.newSequence(Tag.ConceptNameCodeSequence).addItem(), "113030", "DCM", "Manifest");
        kos.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Attributes template = kos.newSequence(Tag.ContentTemplateSequence).addItem();
        template.setString(Tag.MappingResource, VR.CS, "DCMR");
        template.setString(Tag.TemplateIdentifier, VR.CS, "2010");
        evidence(kos.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence), references);
        Sequence content = kos.newSequence(Tag.ContentSequence);
        for (InstanceReference r : references) {
            Attributes item = content.addItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            boolean image = nl.beeldbrug.adapters.dicom.dict.UidDictionary.standard().nameOf(r.sopClassUid())
                    .contains(IMAGE_STORAGE_HINT);
            item.setString(Tag.ValueType, VR.CS, image ? "IMAGE" : "COMPOSITE");
            Attributes sop = item.newSequence(Tag.ReferencedSOPSequence).addItem();
            sop.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
            sop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
        }
        return kos;
    }

    private static void evidence(Sequence evidence, List<InstanceReference> refs) {
        Map<String, Map<String, List<InstanceReference>>> byStudy = new LinkedHashMap<>();
        for (InstanceReference r : refs) {
            byStudy.computeIfAbsent(r.studyInstanceUid(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.seriesInstanceUid(), k -> new java.util.ArrayList<>()).add(r);
        }
        for (Map.Entry<String, Map<String, List<InstanceReference>>> st : byStudy.entrySet()) {
            Attributes studyItem = evidence.addItem();
            studyItem.setString(Tag.StudyInstanceUID, VR.UI, st.getKey());
            Sequence seriesSeq = studyItem.newSequence(Tag.ReferencedSeriesSequence);
            for (Map.Entry<String, List<InstanceReference>> se : st.getValue().entrySet()) {
                Attributes seriesItem = seriesSeq.addItem();
                InstanceReference first = se.getValue().get(0);
                seriesItem.setString(Tag.SeriesInstanceUID, VR.UI, se.getKey());
                seriesItem.setString(Tag.RetrieveAETitle, VR.AE, first.retrieveAeTitle());
                seriesItem.setString(Tag.RetrieveLocationUID, VR.UI, first.retrieveLocationUid());
                Sequence sops = seriesItem.newSequence(Tag.ReferencedSOPSequence);
                for (InstanceReference r : se.getValue()) {
                    Attributes sop = sops.addItem();
                    sop.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
                    sop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
                }
            }
        }
    }

    private static void code(Attributes item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    private static void copy(Attributes from, Attributes to, int... tags) {
        for (int t : tags) {
            nl.beeldbrug.adapters.dicom.data.Element e = from.get(t);
            if (e != null && e.value() instanceof byte[] b) {
                // re-encode text in UTF-8 (the manifest's character set)
                if (e.vr().isCharsetDependent()) {
                    to.setString(t, e.vr(), from.getStrings(t));
                } else {
                    to.put(t, e.vr(), b.clone());
                }
            } else {
                to.put(t, nl.beeldbrug.adapters.dicom.dict.ElementDictionary.standard().vrOf(t), null);
            }
        }
    }
}
