package nl.beeldbrug.bench.ingest;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.InstanceReference;
import nl.beeldbrug.adapters.dicom.kos.KosManifestBuilder;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The XDS-I.b KOS manifest (DICOM Part 10, TID 2010) of a synthetic study, built with adapters/dicom:
 * its SOP Instance UID is the manifest entry's uniqueId (RAD-68), and it is fully determined by the
 * study (clock at the study's time, UIDs derived from the Study Instance UID), so a resent study has
 * the same bytes and hash and the repository takes it as the same document.
 */
public final class KosDocument {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    private static final Map<String, String> SOP_CLASS = Map.of(
            "CT", UID.CTImageStorage, "MR", "1.2.840.10008.5.1.4.1.1.4", "US", "1.2.840.10008.5.1.4.1.1.6.1",
            "CR", "1.2.840.10008.5.1.4.1.1.1", "DX", "1.2.840.10008.5.1.4.1.1.1.1", "MG", "1.2.840.10008.5.1.4.1.1.1.2",
            "NM", "1.2.840.10008.5.1.4.1.1.20");

    private KosDocument() {
    }

    /** The manifest's bytes: 1-3 series of 1-4 instances each, referenced through the site's archive. */
    public static byte[] of(SyntheticStudies.Study study) {
        DocumentEntry manifest = study.manifest();
        String studyUid = studyInstanceUid(manifest);
        ZonedDateTime when = manifest.getServiceStartTime() != null
                ? manifest.getServiceStartTime().getDateTime() : ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Iterator<String> uids = List.of(manifest.getUniqueId(), studyUid + ".9").iterator();
        KosManifestBuilder builder = new KosManifestBuilder(Clock.fixed(when.toInstant(), ZoneOffset.UTC), uids::next);

        Attributes header = new Attributes();
        header.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        header.setString(Tag.PatientID, VR.LO, study.patient().value());
        header.setString(Tag.IssuerOfPatientID, VR.LO, "NLMINBIZA");
        header.setString(Tag.StudyDate, VR.DA, DA.format(when));
        header.setString(Tag.StudyTime, VR.TM, TM.format(when));
        String accession = accession(manifest);
        if (accession != null) {
            header.setString(Tag.AccessionNumber, VR.SH, accession);
        }
        String modality = manifest.getEventCodeList().isEmpty() ? "CT" : manifest.getEventCodeList().get(0).getCode();
        String sopClass = SOP_CLASS.getOrDefault(modality, UID.CTImageStorage);
        int h = Math.floorMod(studyUid.hashCode(), 12);
        int seriesCount = 1 + h % 3;
        int perSeries = 1 + h / 3;
        List<InstanceReference> references = new ArrayList<>();
        for (int s = 1; s <= seriesCount; s++) {
            for (int i = 1; i <= perSeries; i++) {
                references.add(new InstanceReference(studyUid, studyUid + "." + (10 + s), sopClass,
                        studyUid + "." + (10 + s) + "." + i, "SITE" + study.site().ura(), study.site().repositoryUniqueId()));
            }
        }
        Attributes kos = builder.build(header, references);
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            DicomFile.of(kos, UID.ExplicitVRLittleEndian).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String studyInstanceUid(DocumentEntry entry) {
        return entry.getReferenceIdList().stream().filter(r -> ReferenceId.ID_TYPE_STUDY_INSTANCE_ID.equals(r.getIdTypeCode()))
                .map(ReferenceId::getId).findFirst().orElseThrow(() -> new IllegalArgumentException("no Study Instance UID"));
    }

    private static String accession(DocumentEntry entry) {
        return entry.getReferenceIdList().stream().filter(r -> ReferenceId.ID_TYPE_CODE_ACCESSION.equals(r.getIdTypeCode()))
                .map(ReferenceId::getId).findFirst().orElse(null);
    }

    @SuppressWarnings("unused")
    private static String code(Code c) {
        return c == null ? null : c.getCode();
    }
}
