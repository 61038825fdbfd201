package nl.beeldbrug.gateway.priors;

import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.gateway.cds.CdsAudit;
import nl.beeldbrug.gateway.cds.CdsPatients;
import nl.beeldbrug.gateway.cds.CdsProperties;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.priors.DuplicateWindows;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import nl.beeldbrug.registry.priors.Modality;
import nl.beeldbrug.registry.priors.PriorRanker;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The prior check (issue 5) and its faces: the FHIR operation and the CDS Hooks services. */
@Configuration(proxyBeanMethods = false)
public class PriorsConfiguration {

    @Bean
    PriorCheckService priorCheckService(ImagingStudyIndex index, ReleaseGuard guard, PriorsProperties properties, MeterRegistry meters) {
        ExamNormaliser normaliser = ExamNormaliser.standard();
        DuplicateWindows windows = DuplicateWindows.defaults();
        for (var window : properties.duplicateWindows().entrySet()) {
            windows = windows.with(Modality.of(window.getKey()), window.getValue());
        }
        return new PriorCheckService(index, guard, normaliser, new PriorRanker(normaliser.regions(), windows),
                properties.maxStudies(), meters);
    }

    @Bean
    PriorCheckOperation priorCheckOperation(PriorCheckService service, Requesters requesters) {
        return new PriorCheckOperation(service, requesters, Clock.systemUTC());
    }

    @Bean
    CdsPatients cdsPatients(CdsProperties properties) {
        return new CdsPatients(properties.allowedFhirServers());
    }

    @Bean
    CdsAudit cdsAudit(AuditContext auditContext) {
        return new CdsAudit(auditContext);
    }
}
