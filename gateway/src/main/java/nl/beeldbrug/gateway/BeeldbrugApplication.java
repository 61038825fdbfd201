package nl.beeldbrug.gateway;

import nl.beeldbrug.gateway.audit.VerifyAuditCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Beeldbrug: the national imaging exchange gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BeeldbrugApplication {

    public static void main(String[] args) {
        if (VerifyAuditCommand.requested(args)) { // the operator's chain check: no gateway started
            VerifyAuditCommand.main(args);
            return;
        }
        nl.beeldbrug.gateway.fhir.FhirModelWarmUp.start(); // start-up: HAPI's model scan next to the context's (issue 9)
        SpringApplication.run(BeeldbrugApplication.class, args);
    }
}
