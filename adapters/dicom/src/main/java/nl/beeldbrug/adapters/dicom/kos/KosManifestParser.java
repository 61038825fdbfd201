package nl.beeldbrug.adapters.dicom.kos;

import java.util.ArrayList;
import java.util.List;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;

/** Reads the references of an XDS-I manifest; rejects documents that are not a KOS titled "Manifest". */
public final class KosManifestParser {
    private KosManifestParser() {
    }

    public static KosManifest parse(Attributes kos) {
        if (!UID.KeyObjectSelectionDocumentStorage.equals(kos.getString(Tag.SOPClassUID))) {
            throw new IllegalArgumentException("not a Key Object Selection document");
        }
        Attributes title = kos.getNestedItem(Tag.ConceptNameCodeSequence);
        if (title == null || !"113030".equals(title.getString(Tag.CodeValue))
                || !"DCM".equals(title.getString(Tag.CodingSchemeDesignator))) {
            throw new IllegalArgumentException("KOS document title is not (113030, DCM, \"Manifest\")");
        }
        List<InstanceReference> refs = new ArrayList<>();
        Sequence evidence = kos.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence);
        if (evidence == null || evidence.isEmpty()) {
            throw new IllegalArgumentException("manifest without Current Requested Procedure Evidence Sequence");
        }
        for (Attributes study : evidence) {
            String studyUid = study.getString(Tag.StudyInstanceUID);
            Sequence series = study.getSequence(Tag.ReferencedSeriesSequence);
            if (series == null) {
                continue;
            }
            for (Attributes s : series) {
                Sequence sops = s.getSequence(Tag.ReferencedSOPSequence);
                if (sops == null) {
                    continue;
                }
                for (Attributes sop : sops) {
                    refs.add(new InstanceReference(studyUid, s.getString(Tag.SeriesInstanceUID),
                            sop.getString(Tag.ReferencedSOPClassUID), sop.getString(Tag.ReferencedSOPInstanceUID),
                            s.getString(Tag.RetrieveAETitle), s.getString(Tag.RetrieveLocationUID)));
                }
            }
        }
        return new KosManifest(kos.getString(Tag.SOPInstanceUID), kos.getString(Tag.PatientID),
                kos.getString(Tag.IssuerOfPatientID), kos.getString(Tag.PatientName),
                kos.getString(Tag.StudyInstanceUID), kos.getString(Tag.AccessionNumber), List.copyOf(refs));
    }
}
