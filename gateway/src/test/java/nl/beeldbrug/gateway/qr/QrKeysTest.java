package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.net.DimseException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QrKeysTest {

    private static Attributes keys(String level) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        return k;
    }

    @Test
    void levels() throws DimseException {
        assertThat(QrKeys.level(keys("STUDY"), false)).isEqualTo("STUDY");
        assertThat(QrKeys.level(keys("PATIENT"), true)).isEqualTo("PATIENT");
        assertThatThrownBy(() -> QrKeys.level(keys("PATIENT"), false)).isInstanceOf(DimseException.class)
                .satisfies(e -> assertThat(((DimseException) e).status()).isEqualTo(0xA900));
        assertThatThrownBy(() -> QrKeys.level(new Attributes(), false)).isInstanceOf(DimseException.class);
    }

    @Test
    void uidKeys() throws DimseException {
        Attributes k = keys("STUDY");
        k.put(Tag.StudyInstanceUID, VR.UI, null);
        assertThat(QrKeys.uids(k, Tag.StudyInstanceUID)).isEmpty();
        k.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4");
        assertThat(QrKeys.uids(k, Tag.StudyInstanceUID)).containsExactly("1.2.3", "1.2.4");
        assertThatThrownBy(() -> QrKeys.single(k, Tag.StudyInstanceUID)).isInstanceOf(DimseException.class);
        k.setString(Tag.StudyInstanceUID, VR.UI, "1.2.x");
        assertThatThrownBy(() -> QrKeys.uids(k, Tag.StudyInstanceUID)).isInstanceOf(DimseException.class);
    }

    @Test
    void patientIsABsnUnderTheBsnIssuer() throws DimseException {
        Attributes k = keys("STUDY");
        assertThat(QrKeys.patient(k)).isEmpty();
        k.setString(Tag.PatientID, VR.LO, "999999990");
        assertThat(QrKeys.patient(k)).contains("999999990");
        k.setString(Tag.IssuerOfPatientID, VR.LO, "2.16.840.1.113883.2.4.6.3");
        assertThat(QrKeys.patient(k)).contains("999999990");
        k.setString(Tag.IssuerOfPatientID, VR.LO, "1.2.3.4");
        assertThat(QrKeys.patient(k)).isEqualTo(Optional.of("")); // another domain: nobody here
        k.remove(Tag.IssuerOfPatientID);
        k.setString(Tag.PatientID, VR.LO, "123456789"); // fails the eleven test
        assertThat(QrKeys.patient(k)).isEqualTo(Optional.of(""));
        k.setString(Tag.PatientID, VR.LO, "9999*");
        assertThatThrownBy(() -> QrKeys.patient(k)).isInstanceOf(DimseException.class);
    }

    @Test
    void answerCarriesExactlyTheKeysAskedFor() {
        Attributes k = keys("STUDY");
        k.put(Tag.StudyInstanceUID, VR.UI, null);
        k.put(Tag.PatientName, VR.PN, null);
        Attributes record = new Attributes();
        record.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        record.setString(Tag.StudyDescription, VR.LO, "not asked for");
        Attributes a = QrKeys.answer(k, record, "STUDY", "BEELDBRUG");
        assertThat(a.getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3");
        assertThat(a.contains(Tag.PatientName)).isTrue();
        assertThat(a.getString(Tag.PatientName)).isNull();
        assertThat(a.contains(Tag.StudyDescription)).isFalse();
        assertThat(a.getString(Tag.RetrieveAETitle)).isEqualTo("BEELDBRUG");
        assertThat(List.of(a.getString(Tag.QueryRetrieveLevel))).containsExactly("STUDY");
    }
}
