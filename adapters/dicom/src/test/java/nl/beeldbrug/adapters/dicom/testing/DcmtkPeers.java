package nl.beeldbrug.adapters.dicom.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts dcmtk's storescp and dcmqrscp on loopback with free ports, and stops them. */
public final class DcmtkPeers {
    private DcmtkPeers() {
    }

    public record Peer(Process process, int port, String aeTitle, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** storescp writing to {@code dir}; extra args e.g. TLS options go before the port. */
    public static Peer storescp(Path dir, String aeTitle, List<String> extra) throws IOException {
        Files.createDirectories(dir);
        int port = Peers.freePort();
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescp", "dcmtk"), "-aet", aeTitle, "-od",
                dir.toString(), "-uf", "+xa"));
        cmd.addAll(extra);
        cmd.add(String.valueOf(port));
        Process p = Peers.start(dir.resolveSibling(aeTitle + "-storescp.log"), cmd.toArray(String[]::new));
        Peer peer = new Peer(p, port, aeTitle, dir);
        if (extra.isEmpty()) {
            awaitEcho(peer);
        } else {
            awaitPort(peer);
        }
        return peer;
    }

    /** dcmqrscp serving {@code files}, with {@code moveDestinations} as "AET host port" entries. */
    public static Peer dcmqrscp(Path dir, String aeTitle, List<Path> files, List<String[]> moveDestinations)
            throws IOException {
        Path db = Files.createDirectories(dir.resolve("db"));
        int port = Peers.freePort();
        StringBuilder cfg = new StringBuilder();
        cfg.append("NetworkTCPPort = ").append(port).append('\n');
        cfg.append("MaxPDUSize = 16384\nMaxAssociations = 16\n");
        cfg.append("HostTable BEGIN\n");
        for (String[] d : moveDestinations) {
            cfg.append(d[0].toLowerCase()).append(" = (").append(d[0]).append(", ").append(d[1]).append(", ")
                    .append(d[2]).append(")\n");
        }
        cfg.append("HostTable END\nVendorTable BEGIN\nVendorTable END\nAETable BEGIN\n");
        cfg.append(aeTitle).append(' ').append(db).append(" RW (200, 1024mb) ANY\n");
        cfg.append("AETable END\n");
        Path cfgFile = dir.resolve("dcmqrscp.cfg");
        Files.writeString(cfgFile, cfg.toString());
        List<String> idx = new ArrayList<>(List.of(Peers.require("dcmqridx", "dcmtk"), db.toString()));
        files.forEach(f -> idx.add(f.toString()));
        Peers.run(idx.toArray(String[]::new));
        Process p = Peers.start(dir.resolve("dcmqrscp.log"), Peers.require("dcmqrscp", "dcmtk"), "-c",
                cfgFile.toString(), "--disable-host-lookup", String.valueOf(port));
        Peer peer = new Peer(p, port, aeTitle, dir);
        awaitEcho(peer);
        return peer;
    }

    private static void awaitEcho(Peer peer) {
        String echoscu = Peers.require("echoscu", "dcmtk");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!peer.process().isAlive()) {
                throw new AssertionError("peer exited: " + peer.aeTitle());
            }
            return Peers.runAllowingFailure(echoscu, "-aec", peer.aeTitle(), "127.0.0.1",
                    String.valueOf(peer.port())).exitCode() == 0;
        });
    }

    public static void awaitPort(Peer peer) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", peer.port())) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
