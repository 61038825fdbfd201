package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicomweb.DicomJson;
import nl.beeldbrug.registry.bridge.ArchiveInstance;
import nl.beeldbrug.registry.bridge.ArchiveStudy;
import nl.beeldbrug.registry.bridge.DicomPatient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the bridge's view of a study from DICOM headers: a data set (received instance, C-FIND match) or
 * DICOM JSON (WADO-RS metadata); and recognises IOCM rejection notes (a KOS titled with one of the IOCM rejection
 * reasons, PS3.16 CID 7011) with the instances they reject.
 */
final class DicomHeaders {

    /** Document titles of IOCM rejection notes (DCM). */
    static final Set<String> REJECTION_TITLES = Set.of("113001", "113037", "113038", "113039");

    private DicomHeaders() {
    }

    /** A study of one instance (its header). */
    static ArchiveStudy study(Attributes ds, List<ArchiveInstance> instances, Map<String, String> rejections) {
        return new ArchiveStudy(ds.getString(Tag.StudyInstanceUID), patient(ds), ds.getString(Tag.PatientName),
                ds.getString(Tag.PatientBirthDate), ds.getString(Tag.PatientSex), ds.getString(Tag.AccessionNumber),
                ds.getString(Tag.StudyDate), ds.getString(Tag.StudyTime), ds.getString(Tag.StudyDescription),
                ds.getString(Tag.ReferringPhysicianName), instances, rejections);
    }

    static ArchiveInstance instance(Attributes ds) {
        return new ArchiveInstance(ds.getString(Tag.SeriesInstanceUID), ds.getString(Tag.SOPClassUID),
                ds.getString(Tag.SOPInstanceUID), ds.getString(Tag.Modality), ds.getString(Tag.BodyPartExamined));
    }

    static DicomPatient patient(Attributes ds) {
        List<DicomPatient.OtherPatientId> others = new ArrayList<>();
        Sequence seq = ds.getSequence(Tag.OtherPatientIDsSequence);
        if (seq != null) {
            for (Attributes item : seq) {
                others.add(new DicomPatient.OtherPatientId(item.getString(Tag.PatientID), item.getString(Tag.IssuerOfPatientID)));
            }
        }
        return new DicomPatient(ds.getString(Tag.PatientID), ds.getString(Tag.IssuerOfPatientID), others);
    }

    /** The instances a rejection note rejects, with its reason code; empty when it is no rejection note. */
    static Map<String, String> rejections(Attributes kos) {
        Attributes title = kos.getNestedItem(Tag.ConceptNameCodeSequence);
        if (title == null || !"DCM".equals(title.getString(Tag.CodingSchemeDesignator))
                || !REJECTION_TITLES.contains(title.getString(Tag.CodeValue))) {
            return Map.of();
        }
        Map<String, String> rejected = new LinkedHashMap<>();
        Sequence evidence = kos.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence);
        if (evidence != null) {
            for (Attributes study : evidence) {
                Sequence series = study.getSequence(Tag.ReferencedSeriesSequence);
                for (Attributes s : series == null ? List.<Attributes>of() : series) {
                    Sequence sops = s.getSequence(Tag.ReferencedSOPSequence);
                    for (Attributes sop : sops == null ? List.<Attributes>of() : sops) {
                        rejected.put(sop.getString(Tag.ReferencedSOPInstanceUID), title.getString(Tag.CodeValue));
                    }
                }
            }
        }
        return rejected;
    }

    // ---------------------------------------------------------------- DICOM JSON (WADO-RS metadata)

    /** A study from the metadata of all its instances; rejection notes among them are read too. */
    static ArchiveStudy study(String studyUid, List<DicomJson> metadata) {
        List<ArchiveInstance> instances = new ArrayList<>();
        Map<String, String> rejections = new LinkedHashMap<>();
        DicomJson first = null;
        for (DicomJson m : metadata) {
            if (first == null) {
                first = m;
            }
            ArchiveInstance instance = new ArchiveInstance(m.string(Tag.SeriesInstanceUID), m.string(Tag.SOPClassUID),
                    m.string(Tag.SOPInstanceUID), m.string(Tag.Modality), m.string(Tag.BodyPartExamined));
            instances.add(instance);
            if (instance.isKeyObject()) {
                rejections.putAll(rejections(m));
            }
        }
        if (first == null) {
            return new ArchiveStudy(studyUid, null, null, null, null, null, null, null, null, null, List.of(), Map.of());
        }
        List<DicomPatient.OtherPatientId> others = new ArrayList<>();
        for (DicomJson item : first.sequence(Tag.OtherPatientIDsSequence)) {
            others.add(new DicomPatient.OtherPatientId(item.string(Tag.PatientID), item.string(Tag.IssuerOfPatientID)));
        }
        return new ArchiveStudy(studyUid, new DicomPatient(first.string(Tag.PatientID), first.string(Tag.IssuerOfPatientID), others),
                first.string(Tag.PatientName), first.string(Tag.PatientBirthDate), first.string(Tag.PatientSex),
                first.string(Tag.AccessionNumber), first.string(Tag.StudyDate), first.string(Tag.StudyTime),
                first.string(Tag.StudyDescription), first.string(Tag.ReferringPhysicianName), instances, rejections);
    }

    static Map<String, String> rejections(DicomJson kos) {
        List<DicomJson> titles = kos.sequence(Tag.ConceptNameCodeSequence);
        if (titles.isEmpty() || !"DCM".equals(titles.get(0).string(Tag.CodingSchemeDesignator))
                || !REJECTION_TITLES.contains(titles.get(0).string(Tag.CodeValue))) {
            return Map.of();
        }
        String reason = titles.get(0).string(Tag.CodeValue);
        Map<String, String> rejected = new LinkedHashMap<>();
        for (DicomJson study : kos.sequence(Tag.CurrentRequestedProcedureEvidenceSequence)) {
            for (DicomJson series : study.sequence(Tag.ReferencedSeriesSequence)) {
                for (DicomJson sop : series.sequence(Tag.ReferencedSOPSequence)) {
                    rejected.put(sop.string(Tag.ReferencedSOPInstanceUID), reason);
                }
            }
        }
        return rejected;
    }
}
