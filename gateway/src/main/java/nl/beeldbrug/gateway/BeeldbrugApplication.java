package nl.beeldbrug.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Beeldbrug: the national imaging exchange gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BeeldbrugApplication {

    public static void main(String[] args) {
        SpringApplication.run(BeeldbrugApplication.class, args);
    }
}
