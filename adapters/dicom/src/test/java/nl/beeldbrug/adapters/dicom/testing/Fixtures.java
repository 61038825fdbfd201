package nl.beeldbrug.adapters.dicom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.BulkData;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.Fragments;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/** Test studies made from the pydicom samples with dcmtk's dcmodify (new UIDs), and comparison helpers. */
public final class Fixtures {
    public static final String PATIENT_ID = "BB-PAT-1";

    private Fixtures() {
    }

    /** A study: CT series (1 instance), MR series (2 instances), JPEG 2000 series (1, encapsulated). */
    public record Study(String studyUid, List<Path> files) {
    }

    public static Study study(Path dir, String tag) {
        try {
            Files.createDirectories(dir);
            String studyUid = "2.25." + Long.toUnsignedString(System.nanoTime()) + "1" + Math.abs(tag.hashCode());
            List<Path> files = new ArrayList<>();
            String[][] plan = {{"CT_small.dcm", "1"}, {"MR_small.dcm", "2"}, {"MR_small.dcm", "2"}, {"JPEG2000.dcm", "3"}};
            int i = 0;
            for (String[] p : plan) {
                Path f = dir.resolve(tag + "-" + (i++) + ".dcm");
                Files.copy(Peers.sample(p[0]), f, StandardCopyOption.REPLACE_EXISTING);
                Peers.run(Peers.require("dcmodify", "dcmtk"), "-nb", "-gin",
                        "-i", "(0020,000D)=" + studyUid,
                        "-i", "(0020,000E)=" + studyUid + "." + p[1],
                        "-i", "(0010,0020)=" + PATIENT_ID,
                        "-i", "(0010,0010)=Test^Beeldbrug",
                        f.toString());
                files.add(f);
            }
            return new Study(studyUid, files);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** SOP Instance UID to pixel data hash, for every DICOM file under {@code dir}. */
    public static Map<String, String> instances(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(DicomFile.read(p).dataset().getString(Tag.SOPInstanceUID), pixelHash(p));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    public static Map<String, String> instances(List<Path> files) {
        Map<String, String> m = new TreeMap<>();
        for (Path p : files) {
            try {
                m.put(DicomFile.read(p).dataset().getString(Tag.SOPInstanceUID), pixelHash(p));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return m;
    }

    public static String pixelHash(Path file) throws IOException {
        return pixelHash(DicomFile.read(file).dataset());
    }

    public static String pixelHash(Attributes ds) throws IOException {
        Element e = ds.get(Tag.PixelData);
        if (e == null) {
            return "none";
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (e.value() instanceof Fragments f) {
            for (Object frag : f.items()) {
                if (frag instanceof byte[] b) {
                    bos.write(b);
                } else {
                    ((BulkData) frag).copyTo(bos);
                }
            }
        } else if (e.value() instanceof BulkData bd) {
            bd.copyTo(bos);
        } else if (e.value() instanceof byte[] b) {
            bos.write(b);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bos.toByteArray()));
        } catch (NoSuchAlgorithmException ex) {
            throw new AssertionError(ex);
        }
    }
}
