package nl.beeldbrug.bench.openmodel;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ClosedLoopTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void keepsExactlyTheGivenNumberOfRequestsInFlightAndCountsEveryAnswer() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean bad = exchange.getRequestURI().getQuery() != null;
            byte[] body = (bad ? "no" : "ok").getBytes(StandardCharsets.UTF_8);
            inFlight.decrementAndGet();
            served.incrementAndGet();
            exchange.sendResponseHeaders(bad ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI ok = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x");
        URI bad = URI.create(ok + "?bad");
        OpenLoop.Workload workload = random -> new OpenLoop.Request(
                HttpRequest.newBuilder(random.nextInt(10) == 0 ? bad : ok).timeout(Duration.ofSeconds(5)).build(),
                response -> response.statusCode() == 200 ? OpenLoop.Outcome.ok(1) : OpenLoop.Outcome.error("http " + response.statusCode()));

        OpenLoop.Result r = new ClosedLoop(LoadOptions.httpClient(), 1, Duration.ofSeconds(5)).run(4, Duration.ofSeconds(1), workload);

        assertThat(maxInFlight.get()).isLessThanOrEqualTo(4).isGreaterThanOrEqualTo(2);
        assertThat(r.maxInFlight()).isEqualTo(4);
        assertThat(r.ok() + r.errorCount()).isEqualTo(served.get());
        assertThat(r.errors("http 500")).isEqualTo(r.errorCount()).isPositive();
        assertThat(r.ok()).isGreaterThan(r.errorCount());
        assertThat(r.latency().getTotalCount()).isEqualTo(r.ok());
        assertThat(Report.csvRow("s", "closed", r)).startsWith("s,closed,4,1," + (r.ok() + r.errorCount()) + "," + r.ok() + ",");
    }
}
