package nl.beeldbrug.gateway.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints the endpoints to try once the gateway is ready (routes started, demo data loaded). */
@Component
public class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final Environment environment;

    public StartupBanner(Environment environment) {
        this.environment = environment;
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : environment.getProperty("server.port", Integer.class, 8080);
        String management = environment.getProperty("local.management.port", environment.getProperty("management.server.port", "8081"));
        String scheme = environment.getProperty("beeldbrug.security.tls.enabled", Boolean.class, false) ? "https" : "http";
        String base = scheme + "://localhost:" + port + "/services";
        log.info("""
                Beeldbrug is ready.
                  ITI-18 Registry Stored Query        {}/registry/iti18
                  ITI-42 Register Document Set-b      {}/registry/iti42
                  ITI-57 Update Document Set          {}/registry/iti57
                  ITI-62 Delete Document Set          {}/registry/iti62
                  ITI-41 Provide and Register Set-b   {}/repository/iti41
                  ITI-43 Retrieve Document Set        {}/repository/iti43
                  Service list (WSDLs)                {}
                  Health                              http://localhost:{}/actuator/health
                  Prometheus metrics                  http://localhost:{}/actuator/prometheus
                  Try it: see README.md, section "Register a document and find it again".""",
                base, base, base, base, base, base, base, management, management);
    }
}
