package nl.beeldbrug.peer;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import java.util.Locale;

/**
 * The benchmark peer: HAPI FHIR JPA server 8.8.0 (R4) on PostgreSQL, served by Jetty on 127.0.0.1 at {@code /fhir}.
 * Prints {@code peer ready: <base> (started in N s)} once {@code <base>/metadata} can be answered.
 */
public final class PeerMain {

    private final AnnotationConfigApplicationContext spring;
    private final Server jetty;
    private final String base;

    private PeerMain(AnnotationConfigApplicationContext spring, Server jetty, String base) {
        this.spring = spring;
        this.jetty = jetty;
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        PeerSettings settings;
        try {
            settings = PeerSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PeerMain peer = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(peer::stop, "peer-stop"));
        peer.jetty.join();
    }

    /** Starts Spring (HAPI's JPA configuration) and Jetty; returns when the server answers. */
    public static PeerMain start(PeerSettings settings) throws Exception {
        long t0 = System.nanoTime();
        boolean created = PeerDatabase.ensureExists(settings);
        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
        spring.registerBean(PeerSettings.class, () -> settings);
        spring.register(PeerConfig.class);
        spring.refresh();
        RestfulServer fhir = spring.getBean(RestfulServer.class);

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("peer-http");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(settings.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("fhir", fhir);
        holder.setInitOrder(1);
        context.addServlet(holder, "/fhir/*");
        jetty.setHandler(context);
        jetty.setStopAtShutdown(false);
        jetty.start();
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
        System.out.printf(Locale.ROOT, "peer ready: %s (started in %.1f s; database %s)%n", base,
                (System.nanoTime() - t0) / 1e9, created ? "created" : "existing");
        System.out.flush();
        return new PeerMain(spring, jetty, base);
    }

    public String base() {
        return base;
    }

    public void stop() {
        try {
            jetty.stop();
        } catch (Exception e) {
            System.err.println("peer: stopping Jetty failed: " + e);
        }
        spring.close();
    }
}
