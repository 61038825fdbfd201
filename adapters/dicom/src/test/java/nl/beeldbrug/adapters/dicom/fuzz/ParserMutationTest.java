package nl.beeldbrug.adapters.dicom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nl.beeldbrug.adapters.dicom.archive.FileArchive;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomReader;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.ParseLimits;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.net.AbortException;
import nl.beeldbrug.adapters.dicom.net.AssociateParams;
import nl.beeldbrug.adapters.dicom.net.AssociationConfig;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.DicomServer;
import nl.beeldbrug.adapters.dicom.net.DicomTimeouts;
import nl.beeldbrug.adapters.dicom.net.PresentationContext;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicom.net.RoleSelection;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the data set parser, the A-ASSOCIATE parser and the whole SCP socket path. Every input
 * must end in success or a checked parse/protocol error: no runtime exception, no error, no hang, no OOM.
 * {@code -Dfuzz.iterations} sets the count (3,000 in the normal run; 100,000 with {@code -Pfuzz}).
 */
class ParserMutationTest {
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 3000);
    private static final long SEED = Long.getLong("fuzz.seed", 20260301L);

    @TempDir
    Path tmp;

    private static List<byte[]> dataSetSeeds(List<TransferSyntax> syntaxes) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("MR_small.dcm", "rtstruct.dcm", "test-SR.dcm", "MR_small_RLE.dcm", "chrX1.dcm",
                "nested_priv_SQ.dcm")) {
            Attributes ds = DicomFile.read(Peers.sample(name)).dataset();
            for (TransferSyntax ts : syntaxes) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                DicomWriter.write(ds, ts, out, seeds.size() % 2 == 0);
                seeds.add(out.toByteArray());
            }
        }
        return seeds;
    }

    static byte[] mutate(byte[] seed, Random rnd) {
        byte[] m = seed.clone();
        int edits = 1 + rnd.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int i = rnd.nextInt(m.length);
            switch (rnd.nextInt(6)) {
                case 0 -> m[i] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> m[i] = (byte) rnd.nextInt(256);
                case 2 -> { // a length-like field set to something extreme
                    int v = switch (rnd.nextInt(4)) {
                        case 0 -> 0xFFFFFFFF;
                        case 1 -> 0x7FFFFFFF;
                        case 2 -> rnd.nextInt(1 << 20);
                        default -> rnd.nextInt(64);
                    };
                    for (int k = 0; k < 4 && i + k < m.length; k++) {
                        m[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                case 3 -> m = java.util.Arrays.copyOf(m, Math.max(1, i)); // truncate
                case 4 -> { // duplicate a block (deep nesting, repeated items)
                    int len = Math.min(m.length - i, 1 + rnd.nextInt(64));
                    byte[] n = new byte[m.length + len];
                    System.arraycopy(m, 0, n, 0, i + len);
                    System.arraycopy(m, i, n, i + len, m.length - i);
                    m = n;
                }
                default -> { // item / delimiter tag injection
                    int[] tags = {0xE000FFFE, 0xE00DFFFE, 0xE0DDFFFE};
                    int t = tags[rnd.nextInt(3)];
                    for (int k = 0; k < 4 && i + k < m.length; k++) {
                        m[i + k] = (byte) (t >>> (8 * k));
                    }
                }
            }
            if (m.length == 0) {
                m = new byte[] {0};
            }
        }
        return m;
    }

    @Test
    void dataSetParserSurvivesMutations() throws Exception {
        List<TransferSyntax> syntaxes = List.of(TransferSyntax.IMPLICIT_VR_LE, TransferSyntax.EXPLICIT_VR_LE,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LE);
        List<byte[]> seeds = dataSetSeeds(syntaxes);
        Random rnd = new Random(SEED);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                int s = rnd.nextInt(seeds.size());
                byte[] input = mutate(seeds.get(s), rnd);
                TransferSyntax ts = i % 7 == 0 ? TransferSyntax.EXPLICIT_VR_BE : syntaxes.get(s % syntaxes.size());
                ParseLimits limits = i % 2 == 0 ? ParseLimits.QUERY : ParseLimits.FILES;
                try {
                    DicomReader r = new DicomReader(new ByteArrayInputStream(input), ts, limits);
                    if (limits.allowBulkData()) {
                        r.spoolBulkDataTo(tmp);
                    }
                    Attributes a = r.readDataset();
                    a.toString();
                    outcomes[0]++;
                } catch (IOException expected) {
                    outcomes[1]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("iteration " + i + " (seed " + SEED + ") crashed the parser", e);
                }
            }
        });
        assertThat(outcomes[0] + outcomes[1]).isEqualTo(ITERATIONS);
        assertThat(outcomes[1]).as("mutations that were rejected").isPositive();
    }

    @Test
    void associateRequestParserSurvivesMutations() {
        AssociateParams rq = new AssociateParams();
        rq.calledAe = "SCP";
        rq.callingAe = "SCU";
        rq.maxPduLength = 16384;
        rq.implementationClassUid = "1.2.3.4";
        rq.implementationVersion = "X";
        rq.contexts.add(PresentationContext.proposed(1, UID.Verification, UID.ImplicitVRLittleEndian));
        rq.contexts.add(PresentationContext.proposed(3, UID.CTImageStorage, UID.ExplicitVRLittleEndian,
                UID.ImplicitVRLittleEndian));
        rq.roles.add(new RoleSelection(UID.CTImageStorage, false, true));
        byte[] seed = rq.encode(true);
        Random rnd = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            for (int i = 0; i < ITERATIONS * 3; i++) {
                try {
                    AssociateParams.decode(mutate(seed, rnd), i % 2 == 0);
                } catch (AbortException expected) {
                    // rejected with a reason
                }
            }
        });
    }

    @Test
    void scpSurvivesMutatedPduStreams() throws Exception {
        FileArchive archive = new FileArchive(tmp.resolve("archive"));
        DicomTimeouts t = new DicomTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofSeconds(3));
        try (DicomServer scp = DicomServer.startOnLoopback(AssociationConfig.of("SCP").withTimeouts(t)
                .withStoreHandler(tmp.resolve("spool"), archive).withQueryHandler(archive), 0, 50)) {
            byte[] seed = validSession();
            Random rnd = new Random(SEED);
            int sessions = Math.max(50, ITERATIONS / 30);
            assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
                for (int i = 0; i < sessions; i++) {
                    byte[] input = mutate(seed, rnd);
                    try (Socket s = new Socket("127.0.0.1", scp.port())) {
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(15000);
                        OutputStream out = s.getOutputStream();
                        out.write(input);
                        out.flush();
                        s.shutdownOutput();
                        InputStream in = s.getInputStream();
                        in.readAllBytes(); // the SCP must answer and close within its timeouts
                    } catch (IOException ignored) {
                        // reset by the SCP: fine
                    }
                }
            });
            // the SCP still works
            DicomClient.of("SCU").echo(RemoteAe.of("SCP", "127.0.0.1", scp.port()));
        }
    }

    /** A-ASSOCIATE-RQ, C-ECHO-RQ and C-FIND-RQ as raw PDUs: the seed for session mutations. */
    private static byte[] validSession() throws IOException {
        AssociateParams rq = new AssociateParams();
        rq.calledAe = "SCP";
        rq.callingAe = "FUZZ";
        rq.maxPduLength = 16384;
        rq.implementationClassUid = "1.2.3.4";
        rq.contexts.add(PresentationContext.proposed(1, UID.Verification, UID.ImplicitVRLittleEndian));
        rq.contexts.add(PresentationContext.proposed(3, UID.StudyRootQueryRetrieveInformationModelFind,
                UID.ImplicitVRLittleEndian));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pdu(out, 1, rq.encode(true));
        byte[] echo = {0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00, '1', '.', '2', '.', '8', '4', '0', '.', '1', '0', '0', '0',
            '8', '.', '1', '.', '1', 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,
            0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00,
            0x01, 0x01};
        pdv(out, 1, 3, echo);
        pdu(out, 5, new byte[4]);
        return out.toByteArray();
    }

    private static void pdv(ByteArrayOutputStream out, int pcid, int header, byte[] data) {
        byte[] body = new byte[data.length + 6];
        int len = data.length + 2;
        body[0] = (byte) (len >>> 24);
        body[1] = (byte) (len >>> 16);
        body[2] = (byte) (len >>> 8);
        body[3] = (byte) len;
        body[4] = (byte) pcid;
        body[5] = (byte) header;
        System.arraycopy(data, 0, body, 6, data.length);
        pdu(out, 4, body);
    }

    private static void pdu(ByteArrayOutputStream out, int type, byte[] body) {
        out.write(type);
        out.write(0);
        out.write(body.length >>> 24);
        out.write(body.length >>> 16);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
    }
}
