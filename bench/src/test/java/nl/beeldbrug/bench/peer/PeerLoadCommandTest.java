package nl.beeldbrug.bench.peer;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code peer-load} against a tiny loopback FHIR stand-in: organizations first, every bundle once, progress recorded
 * per bundle so that a rerun skips what was loaded; a refused bundle stops the load (exit 1) and is not recorded.
 */
class PeerLoadCommandTest {

    @TempDir
    Path corpus;

    private HttpServer server;
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger refuseBundle = new AtomicInteger(-1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fhir", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String name = body.replaceAll("(?s).*\"name\":\"([^\"]+)\".*", "$1");
            boolean refuse = name.equals("bundle-" + refuseBundle.get());
            if (!refuse) {
                received.add(name);
            }
            byte[] answer = (refuse ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"nope\"}]}"
                    : "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refuse ? 400 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void loadsOrganizationsFirstThenEveryBundleOnceAndResumesAfterARefusal() throws IOException {
        Files.createDirectories(corpus.resolve("fhir"));
        write("organizations.json", "organizations", 3, 0);
        for (int i = 0; i < 6; i++) {
            write(String.format("bundle-%06d.json", i), "bundle-" + i, 5, 2);
        }
        refuseBundle.set(3);

        int first = run();

        assertThat(first).isEqualTo(1);
        assertThat(received.get(0)).isEqualTo("organizations");
        assertThat(received).doesNotContain("bundle-3");
        List<String> done = Files.readAllLines(corpus.resolve("progress/peer-load.done"));
        assertThat(done).contains("organizations.json").doesNotContain("bundle-000003.json");

        received.clear();
        refuseBundle.set(-1);
        int second = run();

        assertThat(second).isZero();
        assertThat(received).contains("bundle-3").doesNotContain("organizations");
        assertThat(received).doesNotHaveDuplicates();
        List<String> all = new ArrayList<>(Files.readAllLines(corpus.resolve("progress/peer-load.done")));
        assertThat(all).hasSize(7).doesNotHaveDuplicates();

        received.clear();
        assertThat(run()).isZero();
        assertThat(received).isEmpty();
        assertThat(new CommandLine(new PeerLoadCommand()).execute("--base", base(), "--corpus", corpus.toString(),
                "--restart")).isZero();
        assertThat(received).hasSize(7);
    }

    @Test
    void loadsOnlyTheFirstBundlesThatHoldTheStudiesAsked() throws IOException {
        Files.createDirectories(corpus.resolve("fhir"));
        write("organizations.json", "organizations", 3, 0);
        for (int i = 0; i < 4; i++) {
            write(String.format("bundle-%06d.json", i), "bundle-" + i, 5, 2);
        }
        assertThat(new CommandLine(new PeerLoadCommand()).execute("--base", base(), "--corpus", corpus.toString(),
                "--max-studies", "3")).isZero();
        assertThat(received.get(0)).isEqualTo("organizations");
        assertThat(received).containsExactlyInAnyOrder("organizations", "bundle-0", "bundle-1");
    }

    private int run() {
        return new CommandLine(new PeerLoadCommand()).execute("--base", base(), "--corpus", corpus.toString(), "--concurrency", "2");
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** A stand-in transaction bundle: its name, and {@code entries} PUT entries of which {@code studies} ImagingStudy. */
    private void write(String file, String name, int entries, int studies) throws IOException {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"name\":\"" + name + "\",\"entry\":[");
        for (int i = 0; i < entries; i++) {
            String url = i < studies ? "ImagingStudy/2.25." + i : "Patient/p" + i;
            sb.append(i > 0 ? "," : "").append("{\"request\":{\"method\":\"PUT\",\"url\":\"").append(url).append("\"}}");
        }
        Files.writeString(corpus.resolve("fhir").resolve(file), sb.append("]}"));
    }
}
