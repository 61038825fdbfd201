package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import org.openehealth.ipf.commons.audit.AuditContext;
import nl.beeldbrug.gateway.fhir.audit.AuditEventMapper;
import nl.beeldbrug.gateway.ai.AiCohortOperation;
import nl.beeldbrug.gateway.ai.AiProvenanceProvider;
import nl.beeldbrug.gateway.fhir.audit.AuditEventProvider;
import nl.beeldbrug.gateway.fhir.consent.ConsentMapper;
import nl.beeldbrug.gateway.fhir.consent.ConsentProvider;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import ca.uhn.fhir.rest.server.RestfulServer;
import nl.beeldbrug.gateway.fhir.mhd.DocumentEntryToDocumentReferenceMapper;
import nl.beeldbrug.gateway.fhir.mhd.MhdConfiguration;
import nl.beeldbrug.gateway.fhir.mhd.MhdRegistry;
import nl.beeldbrug.gateway.priors.PriorCheckOperation;
import nl.beeldbrug.gateway.priors.prefetch.PrefetchOperation;
import org.springframework.beans.factory.ObjectProvider;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import nl.beeldbrug.gateway.security.PrivilegedAccessProperties;
import nl.beeldbrug.gateway.security.Requesters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.List;

/**
 * The FHIR R4 server at {@code /fhir}: HAPI's plain RestfulServer (not the JPA server) with our
 * providers over the registry's store. No paging provider: paging is by {@code _offset}, stateless,
 * so any gateway instance answers any page. The CapabilityStatement at {@code /fhir/metadata} is
 * HAPI's, generated from the providers' annotations.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FhirProperties.class)
public class FhirConfiguration {

    @Bean
    ImagingStudyIndex imagingStudyIndex(DataSource dataSource) {
        return new ImagingStudyIndex(dataSource);
    }

    @Bean
    FhirRelease fhirRelease(ReleaseGuard releaseGuard, Requesters requesters) {
        return new FhirRelease(releaseGuard, requesters);
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(ImagingStudyIndex index, DataSource dataSource, PatientIndex patients,
                                                       FhirProperties properties, AuditContext auditContext,
                                                       MhdConfiguration.MhdProviders mhd, StoredQueryService queries,
                                                       AuditStore auditStore, ConsentStore consentStore,
                                                       Requesters requesters, PrivilegedAccessProperties privileged,
                                                       PriorCheckOperation priorCheck, FhirRelease release,
                                                       ObjectProvider<PrefetchOperation> prefetch,
                                                       ObjectProvider<AiProvenanceProvider> aiProvenance,
                                                       ObjectProvider<AiCohortOperation> aiCohort) {
        OrganizationMapper organizations = new OrganizationMapper();
        FhirContext fhir = FhirContext.forR4Cached();
        // Our mappers write every reference themselves: contained resources are added explicitly behind local ids
        // (MHD's parties, "#…"), _include targets carry ids. HAPI's automatic containment of id-less reference
        // targets walks each whole answer before encoding it (9 % of a prior check's CPU in a JFR profile) and would
        // find nothing to contain: off. MhdGatewayIT checks that the contained parties are still written.
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        RestfulServer server = new FhirServlet(fhir);
        server.setResourceProviders(List.of(
                new ImagingStudyProvider(index, new ImagingStudyMapper(), new PatientMapper(),
                        organizations.toWadoEndpoint(properties.wadoBaseUrl()),
                        new MhdStudyDocumentReferences(new MhdRegistry(queries), new DocumentEntryToDocumentReferenceMapper(), release),
                        release, properties.defaultPageSize(), properties.maxPageSize()),
                new PatientProvider(dataSource, patients, new PatientMapper(), index, new ImagingStudyMapper(), release),
                new OrganizationProvider(index, organizations),
                new EndpointProvider(organizations, properties.wadoBaseUrl()),
                new ConsentProvider(consentStore, dataSource, patients, new ConsentMapper()),
                new AuditEventProvider(auditStore, new AuditEventMapper(), properties.defaultPageSize(), properties.maxPageSize())));
        server.registerProviders(mhd.all());
        server.registerProvider(priorCheck);
        prefetch.ifAvailable(server::registerProvider); // beeldbrug.priors.prefetch.enabled
        aiProvenance.ifAvailable(server::registerProvider); // issue 7: Provenance of releases to AI platforms
        aiCohort.ifAvailable(server::registerProvider); // ImagingStudy/$ai-cohort (issue 7)
        server.registerInterceptor(new ReadOnlyInterceptor());
        server.registerInterceptor(new OpenApiInterceptor());
        server.registerInterceptor(new StrictParametersInterceptor());
        server.registerInterceptor(new RequestBodyInterceptor());
        server.registerInterceptor(new FhirAuditInterceptor(auditContext));
        server.registerInterceptor(new PrivilegedResourceInterceptor(requesters, privileged));
        server.setDefaultPageSize(properties.defaultPageSize());
        server.setMaximumPageSize(properties.maxPageSize());
        server.setImplementationDescription("Beeldbrug FHIR R4");
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
