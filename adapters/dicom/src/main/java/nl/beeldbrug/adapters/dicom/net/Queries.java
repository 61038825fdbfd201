package nl.beeldbrug.adapters.dicom.net;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/** Ready-made C-FIND/C-MOVE identifiers (PS3.4 C.6.2 Study Root keys). */
public final class Queries {
    private Queries() {
    }

    public static Attributes studyKeys() {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        for (int t : new int[] {Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ModalitiesInStudy,
            Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.StudyInstanceUID, Tag.StudyID,
            Tag.StudyDescription, Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances}) {
            k.put(t, nl.beeldbrug.adapters.dicom.dict.ElementDictionary.standard().vrOf(t), null);
        }
        return k;
    }

    public static Attributes seriesKeys(String studyUid) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
        k.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        k.put(Tag.SeriesInstanceUID, VR.UI, null);
        k.put(Tag.Modality, VR.CS, null);
        k.put(Tag.SeriesNumber, VR.IS, null);
        k.put(Tag.SeriesDescription, VR.LO, null);
        k.put(Tag.NumberOfSeriesRelatedInstances, VR.IS, null);
        return k;
    }

    public static Attributes instanceKeys(String studyUid, String seriesUid) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        k.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        k.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        k.put(Tag.SOPInstanceUID, VR.UI, null);
        k.put(Tag.SOPClassUID, VR.UI, null);
        k.put(Tag.InstanceNumber, VR.IS, null);
        return k;
    }

    public static Attributes retrieveStudy(String studyUid) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        k.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        return k;
    }
}
