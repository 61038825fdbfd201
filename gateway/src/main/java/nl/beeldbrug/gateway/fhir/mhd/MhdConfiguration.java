package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.FhirProperties;
import nl.beeldbrug.gateway.fhir.FhirRelease;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.List;

/**
 * The MHD face's providers (ITI-65/66/67/68), registered on the FHIR server by FhirConfiguration. ITI-66/67/68
 * release documents only as the consent permits ({@link FhirRelease}).
 */
@Configuration(proxyBeanMethods = false)
public class MhdConfiguration {

    /** The providers of the MHD Document Responder (and Recipient) actor. */
    public record MhdProviders(List<Object> all) {
    }

    @Bean
    MhdProviders mhdProviders(StoredQueryService queries, DocumentRepositoryService repository, FhirProperties properties,
                              Clock clock, FhirRelease release) {
        MhdRegistry registry = new MhdRegistry(queries);
        MhdPaging paging = new MhdPaging(properties.defaultPageSize(), properties.maxPageSize());
        return new MhdProviders(List.of(
                new DocumentReferenceProvider(registry, new DocumentEntryToDocumentReferenceMapper(), paging, release),
                new ListProvider(registry, new XdsListMapper(), paging, release),
                new RetrieveDocumentProvider(registry, repository, release),
                new ProvideDocumentBundleProvider(repository, clock)));
    }
}
