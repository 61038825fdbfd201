package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.beeldbrug.adapters.dicom.deid.DeidentifiedInstance;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.gateway.bridge.Archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one study of an export: each instance streamed from the archive through the {@link Deidentifier} into a spool
 * file (one at a time), then into the ZIP as {@code <pseudoSeriesUid>/<pseudoSopInstanceUid>.dcm}, and last a
 * {@code manifest.json} of the study's files (pseudonymous UIDs, sizes, SHA-256). The ZIP is written as
 * {@code .part} and moved into place only when complete.
 */
final class StudyZip {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The written ZIP: its size, SHA-256 and the files in it (a JSON array). */
    record Written(Path file, long size, String sha256, ArrayNode files) {
    }

    private final Deidentifier deidentifier;

    StudyZip(Deidentifier deidentifier) {
        this.deidentifier = deidentifier;
    }

    Written write(AiReleases.Release release, Path target, String worker) throws IOException {
        Path dir = target.getParent();
        Path part = dir.resolve(target.getFileName() + "." + worker + ".part");
        Path spool = Files.createTempFile(dir, "instance", ".tmp");
        AiKeys keys = release.keys();
        ArrayNode files = JsonNodeFactory.instance.arrayNode();
        MessageDigest zipDigest = sha256();
        try {
            try (DigestOutputStream counted = new DigestOutputStream(Files.newOutputStream(part), zipDigest);
                 ZipOutputStream zip = new ZipOutputStream(counted)) {
                release.archive().retrieve(Archive.Scope.study(release.member().studyUid()), in -> {
                    MessageDigest digest = sha256();
                    DeidentifiedInstance instance;
                    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), digest)) {
                        instance = deidentifier.deidentify(in, keys, out);
                    }
                    String name = instance.seriesUid() + "/" + instance.sopInstanceUid() + ".dcm";
                    zip.putNextEntry(new ZipEntry(name));
                    try (InputStream copy = Files.newInputStream(spool)) {
                        copy.transferTo(zip);
                    }
                    zip.closeEntry();
                    ObjectNode f = files.addObject();
                    f.put("file", name);
                    f.put("studyInstanceUid", instance.studyUid());
                    f.put("seriesInstanceUid", instance.seriesUid());
                    f.put("sopInstanceUid", instance.sopInstanceUid());
                    f.put("sopClassUid", instance.sopClassUid());
                    f.put("transferSyntaxUid", instance.transferSyntaxUid());
                    f.put("size", Files.size(spool));
                    f.put("sha256", HexFormat.of().formatHex(digest.digest()));
                });
                if (files.isEmpty()) {
                    throw new IOException("the archive returned no instance of the study");
                }
                ObjectNode manifest = JsonNodeFactory.instance.objectNode();
                manifest.put("studyInstanceUid", release.member().pseudoStudyUid());
                manifest.put("patientId", release.member().patientPseudonym());
                manifest.set("files", files);
                zip.putNextEntry(new ZipEntry("manifest.json"));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            long size = Files.size(part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(target, size, HexFormat.of().formatHex(zipDigest.digest()), files);
        } finally {
            Files.deleteIfExists(spool);
            Files.deleteIfExists(part);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
