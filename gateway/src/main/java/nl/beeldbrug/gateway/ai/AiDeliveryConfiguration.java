package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.adapters.dicom.deid.ConfidentialityProfile;
import nl.beeldbrug.adapters.dicom.deid.DeidentificationOptions;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.adapters.dicom.deid.DescriptorCleaner;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.security.PrivilegedAccessProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.ai.delivery.ExportStore;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/** Delivery to AI platforms (issue 7, part C): de-identified DICOMweb, bulk exports, Provenance, audit. */
@Configuration(proxyBeanMethods = false)
public class AiDeliveryConfiguration {

    @Bean
    Deidentifier aiDeidentifier(AiDeliveryProperties properties) throws java.io.IOException {
        // large values (pixel data) of the instance being de-identified are spooled under the data directory
        return new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi(),
                DescriptorCleaner.removeAll(), java.nio.file.Files.createDirectories(properties.dataDir().resolve("spool")));
    }

    /** Every INCLUDED member of the platform's cohorts, once per pseudonymous study (newest cohort's order first). */
    @Bean
    PlatformMembers aiPlatformMembers(CohortStore cohorts) {
        return platform -> {
            java.util.Map<String, nl.beeldbrug.registry.ai.CohortMember> members = new java.util.LinkedHashMap<>();
            for (java.util.UUID cohort : cohorts.cohortsOf(platform)) {
                cohorts.members(cohort).forEach(m -> members.putIfAbsent(m.pseudoStudyUid(), m));
            }
            return java.util.List.copyOf(members.values());
        };
    }

    @Bean
    AiReleases aiReleases(CohortStore cohorts, PlatformMembers members, ReleaseGuard guard, StudyLocator locator,
                          Archives archives) {
        return new AiReleases(cohorts, members, guard, locator, archives);
    }

    @Bean
    AiDicomWeb aiDicomWeb(AiAccess access, AiReleases releases, Requesters requesters, AiAudit audit,
                          AiDeliveryProperties properties) {
        return new AiDicomWeb(access, releases, requesters, audit, properties);
    }

    @Bean
    ReleaseRecords aiReleaseRecords(DataSource dataSource) {
        return new ReleaseRecords(dataSource);
    }

    @Bean
    AiExports aiExports(DataSource dataSource, ReleaseGuard guard, AiDeliveryProperties properties) {
        return new AiExports(new ExportStore(dataSource), guard, properties.dataDir());
    }

    @Bean
    AiAudit aiAudit(AuditContext auditContext) {
        return new AiAudit(auditContext);
    }

    @Bean
    AiProvenanceProvider aiProvenanceProvider(ReleaseRecords records, AiAccess access, AiPlatforms platforms,
                                              Requesters requesters, PrivilegedAccessProperties privileged) {
        return new AiProvenanceProvider(records, access, platforms, requesters, privileged);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "beeldbrug.ai-delivery.exports.enabled", havingValue = "true", matchIfMissing = true)
    AiExportWorker aiExportWorker(AiExports exports, AiPlatforms platforms, AiReleases releases, Requesters requesters,
                                  Deidentifier deidentifier, ReleaseRecords records, AiAudit audit,
                                  AiDeliveryProperties properties, ObjectProvider<AiExportWorker.Hook> hook, Clock clock) {
        return new AiExportWorker(exports, platforms, releases, requesters, new StudyZip(deidentifier), records, audit,
                properties.exports(), hook.getIfAvailable(() -> (id, position) -> { }), clock);
    }
}
