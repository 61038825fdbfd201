package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.FhirProperties;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.List;

/** The MHD face's providers (ITI-65/66/67/68), registered on the FHIR server by FhirConfiguration. */
@Configuration(proxyBeanMethods = false)
public class MhdConfiguration {

    /** The providers of the MHD Document Responder (and Recipient) actor. */
    public record MhdProviders(List<Object> all) {
    }

    @Bean
    MhdProviders mhdProviders(StoredQueryService queries, DocumentRepositoryService repository, FhirProperties properties,
                              Clock clock) {
        MhdRegistry registry = new MhdRegistry(queries);
        MhdPaging paging = new MhdPaging(properties.defaultPageSize(), properties.maxPageSize());
        return new MhdProviders(List.of(
                new DocumentReferenceProvider(registry, new DocumentEntryToDocumentReferenceMapper(), paging),
                new ListProvider(registry, new XdsListMapper(), paging),
                new RetrieveDocumentProvider(registry, repository),
                new ProvideDocumentBundleProvider(repository, clock)));
    }
}
