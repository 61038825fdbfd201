package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.InstanceReference;
import nl.beeldbrug.adapters.dicom.kos.KosManifestBuilder;
import nl.beeldbrug.registry.bridge.ArchiveInstance;
import nl.beeldbrug.registry.bridge.ArchiveStudy;
import nl.beeldbrug.registry.bridge.BridgeSource;
import nl.beeldbrug.registry.bridge.ManifestEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/** The registry's {@link ManifestEncoder} with adapters/dicom: a KOS (TID 2010) as a Part 10 file in Explicit VR LE. */
final class KosManifestEncoder implements ManifestEncoder {

    private final KosManifestBuilder builder;

    KosManifestEncoder(Clock clock) {
        this.builder = new KosManifestBuilder(clock);
    }

    @Override
    public EncodedManifest encode(BridgeSource source, ArchiveStudy study) {
        Attributes header = new Attributes();
        header.setString(Tag.StudyInstanceUID, VR.UI, study.studyInstanceUid());
        set(header, Tag.PatientID, VR.LO, study.patient().patientId());
        set(header, Tag.IssuerOfPatientID, VR.LO, study.patient().issuerOfPatientId());
        set(header, Tag.PatientName, VR.PN, study.patientName());
        set(header, Tag.PatientBirthDate, VR.DA, study.patientBirthDate());
        set(header, Tag.PatientSex, VR.CS, study.patientSex());
        set(header, Tag.StudyDate, VR.DA, study.studyDate());
        set(header, Tag.StudyTime, VR.TM, study.studyTime());
        set(header, Tag.AccessionNumber, VR.SH, study.accessionNumber());
        set(header, Tag.ReferringPhysicianName, VR.PN, study.referringPhysician());
        List<InstanceReference> references = study.manifestInstances().stream()
                .map(i -> reference(source, study, i)).toList();
        Attributes kos = builder.build(header, references);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomFile.of(kos, UID.ExplicitVRLittleEndian).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EncodedManifest(kos.getString(Tag.SOPInstanceUID), out.toByteArray());
    }

    private static InstanceReference reference(BridgeSource source, ArchiveStudy study, ArchiveInstance i) {
        return new InstanceReference(study.studyInstanceUid(), i.seriesInstanceUid(), i.sopClassUid(), i.sopInstanceUid(),
                source.retrieveAeTitle(), source.retrieveLocationUid());
    }

    private static void set(Attributes a, int tag, VR vr, String value) {
        if (value == null || value.isEmpty()) {
            a.put(tag, vr, null);
        } else {
            a.setString(tag, vr, value);
        }
    }
}
