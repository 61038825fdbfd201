package nl.beeldbrug.gateway.cds;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * CDS Hooks, under {@code beeldbrug.cds.*}.
 *
 * @param allowedFhirServers base URLs (prefixes) of EHR FHIR servers the services may read the patient from when the
 *                           call brings no prefetch; empty = never fetch
 * @param fhirBaseUrl        this gateway's public FHIR base, for the links on cards
 */
@ConfigurationProperties("beeldbrug.cds")
public record CdsProperties(@DefaultValue List<String> allowedFhirServers,
                               @DefaultValue("http://localhost:8080/fhir") String fhirBaseUrl) {
}
