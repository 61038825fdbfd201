package nl.beeldbrug.adapters.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nl.beeldbrug.adapters.dicom.archive.FileArchive;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Negotiation, limits, timeouts and protocol errors, against our own SCP (and raw sockets). */
class AssociationTest {
    @TempDir
    Path tmp;
    private final List<DicomServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (DicomServer s : servers) {
            s.close();
        }
    }

    private DicomServer server(AssociationConfig cfg, int max) throws IOException {
        DicomServer s = DicomServer.startOnLoopback(cfg, 0, max);
        servers.add(s);
        return s;
    }

    private static RemoteAe ae(DicomServer s) {
        return RemoteAe.of("SCP", "127.0.0.1", s.port());
    }

    private static List<PresentationContext> echoContext() {
        return List.of(PresentationContext.proposed(1, UID.Verification, UID.ImplicitVRLittleEndian));
    }

    @Test
    void negotiatesImplementationMaxPduAndContexts() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP").withMaxPduLength(32768), 5);
        DicomClient c = new DicomClient(AssociationConfig.of("SCU").withMaxPduLength(20000));
        try (Association as = c.connect(ae(s), List.of(
                PresentationContext.proposed(1, UID.Verification, UID.ExplicitVRBigEndian, UID.ImplicitVRLittleEndian),
                PresentationContext.proposed(3, UID.CTImageStorage, UID.ImplicitVRLittleEndian),
                PresentationContext.proposed(5, UID.Verification, "1.2.3.4.5.6")), List.of())) {
            assertThat(as.peerImplementationClassUid()).isEqualTo(DicomFile.IMPLEMENTATION_CLASS_UID);
            assertThat(as.peerImplementationVersion()).isEqualTo(DicomFile.IMPLEMENTATION_VERSION);
            assertThat(as.peerMaxPduLength()).isEqualTo(32768);
            AssociateParams ac = as.acceptParams();
            assertThat(ac.context(1).transferSyntax()).isEqualTo(UID.ImplicitVRLittleEndian);
            assertThat(ac.context(3).result()).isEqualTo(PresentationContext.ABSTRACT_SYNTAX_NOT_SUPPORTED);
            assertThat(ac.context(5).result()).isEqualTo(PresentationContext.TRANSFER_SYNTAXES_NOT_SUPPORTED);
            assertThat(DimseScu.echo(as)).isZero();
        }
    }

    @Test
    void everySocketHasTcpNoDelay() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP"), 5);
        try (Association as = DicomClient.of("SCU").connect(ae(s), echoContext(), List.of())) {
            assertThat(as.socket().getTcpNoDelay()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> !s.openSockets().isEmpty());
            for (Socket sock : s.openSockets()) {
                assertThat(sock.getTcpNoDelay()).isTrue();
            }
            assertThat(DimseScu.echo(as)).isZero();
        }
    }

    @Test
    void limitsConcurrentAssociations() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP"), 2);
        DicomClient c = DicomClient.of("SCU");
        try (Association a1 = c.connect(ae(s), echoContext(), List.of());
             Association a2 = c.connect(ae(s), echoContext(), List.of())) {
            assertThatThrownBy(() -> c.connect(ae(s), echoContext(), List.of()))
                    .isInstanceOfSatisfying(RejectException.class, e -> {
                        assertThat(e.result()).isEqualTo(RejectException.TRANSIENT);
                        assertThat(e.source()).isEqualTo(RejectException.SOURCE_PRESENTATION);
                        assertThat(e.reason()).isEqualTo(RejectException.PRESENTATION_LOCAL_LIMIT_EXCEEDED);
                    });
            assertThat(DimseScu.echo(a1)).isZero();
            assertThat(DimseScu.echo(a2)).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> s.activeAssociations() == 0);
        c.echo(ae(s));
    }

    @Test
    void rejectsUnknownCalledAeWhenStrict() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP").withStrictCalledAe(true), 2);
        assertThatThrownBy(() -> DicomClient.of("SCU").echo(RemoteAe.of("OTHER", "127.0.0.1", s.port())))
                .isInstanceOfSatisfying(RejectException.class, e -> {
                    assertThat(e.result()).isEqualTo(RejectException.PERMANENT);
                    assertThat(e.reason()).isEqualTo(RejectException.USER_CALLED_AE_NOT_RECOGNIZED);
                });
    }

    @Test
    void unknownPduTypeIsAbortedWithReason() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP"), 2);
        try (Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(new byte[] {0x55, 0, 0, 0, 0, 4, 1, 2, 3, 4});
            byte[] abort = new DataInputStream(raw.getInputStream()).readNBytes(10);
            assertThat(abort[0]).isEqualTo((byte) 7); // A-ABORT
            assertThat(abort[8]).isEqualTo((byte) AbortException.SOURCE_PROVIDER);
            assertThat(abort[9]).isEqualTo((byte) AbortException.REASON_UNRECOGNIZED_PDU);
        }
    }

    @Test
    void malformedAssociateRequestIsAbortedAsInvalidParameter() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP"), 2);
        AssociateParams rq = new AssociateParams();
        rq.calledAe = "SCP";
        rq.callingAe = "SCU";
        rq.contexts.add(PresentationContext.proposed(1, UID.Verification, UID.ImplicitVRLittleEndian));
        byte[] body = rq.encode(true);
        body[70] = (byte) 0xFF; // application context item length now points past the PDU
        try (Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {1, 0, 0, 0, (byte) (body.length >>> 8), (byte) body.length});
            out.write(body);
            byte[] abort = raw.getInputStream().readNBytes(10);
            assertThat(abort[0]).isEqualTo((byte) 7);
            assertThat(abort[9]).isEqualTo((byte) AbortException.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void oversizedPduLengthIsRefusedWithoutAllocating() throws Exception {
        DicomServer s = server(AssociationConfig.of("SCP"), 2);
        try (Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(new byte[] {1, 0, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            byte[] abort = raw.getInputStream().readNBytes(10);
            assertThat(abort[0]).isEqualTo((byte) 7);
            assertThat(abort[9]).isEqualTo((byte) AbortException.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void artimClosesSilentConnections() throws Exception {
        DicomTimeouts t = new DicomTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        DicomServer s = server(AssociationConfig.of("SCP").withTimeouts(t), 2);
        try (Socket raw = new Socket("127.0.0.1", s.port())) {
            raw.setSoTimeout(15000);
            long start = System.nanoTime();
            InputStream in = raw.getInputStream();
            assertThat(in.read()).isEqualTo(-1); // closed by the server, not by our 15 s read timeout
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
        }
    }

    @Test
    void dimseTimeoutAbortsAWaitingCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        QueryHandler slow = new QueryHandler() {
            @Override
            public void find(String model, Attributes keys, java.util.function.Predicate<Attributes> sink)
                    throws Exception {
                release.await(10, TimeUnit.SECONDS);
            }

            @Override
            public List<Path> locate(String model, Attributes keys) {
                return List.of();
            }
        };
        DicomServer s = server(AssociationConfig.of("SCP").withQueryHandler(slow), 2);
        DicomTimeouts t = new DicomTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300),
                Duration.ofSeconds(30));
        DicomClient c = new DicomClient(AssociationConfig.of("SCU").withTimeouts(t));
        try {
            assertThatThrownBy(() -> c.findStudies(ae(s), "X")).isInstanceOf(SocketTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFloodOfRequestsIsRefusedWithOutOfResources() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        QueryHandler slow = new QueryHandler() {
            @Override
            public void find(String model, Attributes keys, java.util.function.Predicate<Attributes> sink)
                    throws Exception {
                release.await(20, TimeUnit.SECONDS);
            }

            @Override
            public List<Path> locate(String model, Attributes keys) {
                return List.of();
            }
        };
        DicomServer s = server(AssociationConfig.of("SCP").withQueryHandler(slow), 2);
        try (Association as = DicomClient.of("SCU").connect(ae(s), List.of(
                PresentationContext.proposed(1, QueryModel.STUDY_ROOT.find(), UID.ImplicitVRLittleEndian),
                PresentationContext.proposed(3, UID.Verification, UID.ImplicitVRLittleEndian)), List.of())) {
            List<ResponseStream> streams = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Attributes rq = Dimse.request(Dimse.C_FIND_RQ, QueryModel.STUDY_ROOT.find(), as.nextMessageId(), true);
                streams.add(as.invoke(1, rq, DataWriter.of(nl.beeldbrug.adapters.dicom.net.Queries.studyKeys())));
            }
            List<Integer> refused = new ArrayList<>();
            for (ResponseStream rs : streams.subList(Association.MAX_QUEUED_OPERATIONS, 12)) {
                refused.add(rs.next().status());
            }
            assertThat(refused).containsOnly(Dimse.OUT_OF_RESOURCES);
            release.countDown();
            for (ResponseStream rs : streams.subList(0, Association.MAX_QUEUED_OPERATIONS)) {
                assertThat(rs.next().status()).isEqualTo(Dimse.SUCCESS);
            }
            assertThat(DimseScu.echo(as)).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void malformedDataSetsGetAFailureStatusAndTheAssociationSurvives() throws Exception {
        FileArchive archive = new FileArchive(tmp.resolve("a"));
        DicomServer s = server(AssociationConfig.of("SCP").withStoreHandler(tmp.resolve("spool"), archive)
                .withQueryHandler(archive), 2);
        DicomClient c = DicomClient.of("SCU");
        try (Association as = c.connect(ae(s), List.of(
                PresentationContext.proposed(1, UID.CTImageStorage, UID.ExplicitVRLittleEndian),
                PresentationContext.proposed(3, QueryModel.STUDY_ROOT.find(), UID.ExplicitVRLittleEndian),
                PresentationContext.proposed(5, UID.Verification, UID.ExplicitVRLittleEndian)), List.of())) {
            Attributes rq = Dimse.request(Dimse.C_STORE_RQ, UID.CTImageStorage, as.nextMessageId(), true);
            rq.setString(Tag.AffectedSOPInstanceUID, VR.UI, "1.2.3");
            // an element claiming 2 GB of value, then nothing
            byte[] garbage = {0x10, 0x00, 0x10, 0x00, 'O', 'B', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F};
            DimseResponse r = as.invoke(1, rq, (out, ts) -> out.write(garbage)).next();
            assertThat(r.status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);

            Attributes find = Dimse.request(Dimse.C_FIND_RQ, QueryModel.STUDY_ROOT.find(), as.nextMessageId(), true);
            byte[] badKeys = {0x08, 0x00, 0x52, 0x00, 'Z', 'Z', 2, 0, 'X', 'X'}; // invalid VR
            DimseResponse fr = as.invoke(3, find, (out, ts) -> out.write(badKeys)).next();
            assertThat(fr.status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
            assertThat(archive.size()).isZero();
            assertThat(DimseScu.echo(as)).isZero();
        }
    }

    @Test
    void instancesAboveTheSizeLimitAreRefusedAndNotKept() throws Exception {
        FileArchive archive = new FileArchive(tmp.resolve("limited"));
        Path spool = tmp.resolve("spool-limited");
        DicomServer s = server(AssociationConfig.of("SCP").withStoreHandler(spool, archive).withMaxInstanceBytes(5000), 2);
        RetrieveResult r = DicomClient.of("SCU").store(ae(s),
                List.of(nl.beeldbrug.adapters.dicom.testing.Peers.sample("MR_small.dcm"),
                        nl.beeldbrug.adapters.dicom.testing.Peers.sample("rtplan.dcm")));
        assertThat(r.failed()).isEqualTo(1); // MR_small is 9.8 kB
        assertThat(r.completed()).isEqualTo(1); // rtplan is 2.7 kB
        assertThat(archive.size()).isEqualTo(1);
        try (var files = java.nio.file.Files.list(spool)) {
            assertThat(files.count()).as("nothing left in the spool directory").isZero();
        }
    }

    @Test
    void largeInstanceIsStreamedThroughTheAssociation() throws Exception {
        FileArchive archive = new FileArchive(tmp.resolve("big"));
        DicomServer s = server(AssociationConfig.of("SCP").withStoreHandler(tmp.resolve("spool"), archive), 2);
        Path raw = tmp.resolve("raw.bin");
        long size = 96L << 20;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - 8);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234567");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.2");
        ds.put(Tag.PixelData, VR.OW, new nl.beeldbrug.adapters.dicom.data.BulkData(raw, 0, size, 0));
        Path file = tmp.resolve("big.dcm");
        DicomFile.of(ds, UID.ExplicitVRLittleEndian).write(file);
        RetrieveResult r = DicomClient.of("SCU").store(ae(s), List.of(file));
        assertThat(r.completed()).isEqualTo(1);
        Path stored = archive.file("2.25.1234567");
        assertThat(nl.beeldbrug.adapters.dicom.testing.Fixtures.pixelHash(stored))
                .isEqualTo(nl.beeldbrug.adapters.dicom.testing.Fixtures.pixelHash(file));
    }
}
