package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.testing.SampleMetadata;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored form of metadata: lossless, small for typical XDS-I entries, strict about what it reads. */
class PackedMetadataTest {

    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);

    @Test
    void everyKindOfRegistryObjectComesBackAsItWasWritten() {
        String study = SampleMetadata.newUid();
        DocumentEntry kos = sample.kos(study);
        DocumentEntry report = sample.report(study);
        SubmissionSet set = sample.submissionSet();
        Folder folder = sample.folder(SampleMetadata.REGION_CHEST);
        Association membership = sample.association(AssociationType.HAS_MEMBER, set.getEntryUuid(), kos.getEntryUuid());
        for (Object metadata : new Object[] {kos, report, set, folder, membership}) {
            Object back = MetadataJson.readPacked(MetadataJson.writePacked(metadata), metadata.getClass());
            // exactly what the JSON form gives back (packing is below the JSON: nothing gained or lost)
            assertThat(back).isEqualTo(MetadataJson.read(MetadataJson.write(metadata), metadata.getClass()));
            assertThat(MetadataJson.write(back)).isEqualTo(MetadataJson.write(metadata));
        }
    }

    @Test
    void aTypicalManifestEntryStoresInAFractionOfItsJson() {
        DocumentEntry kos = sample.kos(SampleMetadata.newUid());
        int json = MetadataJson.write(kos).getBytes(StandardCharsets.UTF_8).length;
        int packed = MetadataJson.writePacked(kos).length;
        // PostgreSQL's pglz got ~58 % of the JSON for entries like this one (and then stored them out of line)
        assertThat(packed).isLessThan(json / 5);
        assertThat(json).isGreaterThan(2000);
    }

    @Test
    void largeAndUnusualJsonRoundTrips() {
        SplittableRandom random = new SplittableRandom(15);
        for (int size : new int[] {0, 1, 255, 4096, 70_000, 300_000}) {
            StringBuilder text = new StringBuilder("{\"title\":\"");
            while (text.length() < size) {
                int kind = random.nextInt(4);
                text.appendCodePoint(kind == 0 ? 0x1F600 + random.nextInt(50) : kind == 1 ? 'a' + random.nextInt(26)
                        : kind == 2 ? 0xE9 : 0x4E00 + random.nextInt(2000));
            }
            byte[] json = text.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
            assertThat(PackedMetadata.unpack(PackedMetadata.pack(json))).isEqualTo(json);
        }
    }

    @Test
    void bytesItDidNotWriteAreRefusedNotMisread() {
        byte[] good = MetadataJson.writePacked(sample.kos(SampleMetadata.newUid()));
        byte[] foreignFormat = good.clone();
        foreignFormat[0] = 2;
        byte[] corrupt = good.clone();
        for (int i = 1; i < corrupt.length; i += 3) {
            corrupt[i] ^= (byte) 0x5A;
        }
        for (byte[] bad : new byte[][] {null, {}, {1}, foreignFormat, Arrays.copyOf(good, good.length / 2), corrupt,
                "{\"entryUuid\":\"x\"}".getBytes(StandardCharsets.UTF_8)}) {
            assertThatThrownBy(() -> PackedMetadata.unpack(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theFormatOneDictionaryNeverChanges() throws Exception {
        try (InputStream in = PackedMetadata.class.getResourceAsStream(PackedMetadata.DICTIONARY_1)) {
            assertThat(in).isNotNull();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            // rows stored in format 1 can only be read with exactly these bytes: a new dictionary needs a new format byte
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo("b986b753c669b1d7799ad1ba1b146ac8f8929de2c8415288da8771ab769c83a2");
        }
    }
}
