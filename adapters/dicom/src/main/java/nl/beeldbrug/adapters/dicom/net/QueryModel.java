package nl.beeldbrug.adapters.dicom.net;

import nl.beeldbrug.adapters.dicom.dict.UID;

/** Query/Retrieve information models (PS3.4 C.6) with their FIND, MOVE and GET SOP classes. */
public enum QueryModel {
    PATIENT_ROOT(UID.PatientRootQueryRetrieveInformationModelFind, UID.PatientRootQueryRetrieveInformationModelMove,
            UID.PatientRootQueryRetrieveInformationModelGet),
    STUDY_ROOT(UID.StudyRootQueryRetrieveInformationModelFind, UID.StudyRootQueryRetrieveInformationModelMove,
            UID.StudyRootQueryRetrieveInformationModelGet);

    private final String find;
    private final String move;
    private final String get;

    QueryModel(String find, String move, String get) {
        this.find = find;
        this.move = move;
        this.get = get;
    }

    public String find() {
        return find;
    }

    public String move() {
        return move;
    }

    public String get() {
        return get;
    }

    public static boolean isFind(String uid) {
        return PATIENT_ROOT.find.equals(uid) || STUDY_ROOT.find.equals(uid);
    }

    public static boolean isMove(String uid) {
        return PATIENT_ROOT.move.equals(uid) || STUDY_ROOT.move.equals(uid);
    }

    public static boolean isGet(String uid) {
        return PATIENT_ROOT.get.equals(uid) || STUDY_ROOT.get.equals(uid);
    }
}
