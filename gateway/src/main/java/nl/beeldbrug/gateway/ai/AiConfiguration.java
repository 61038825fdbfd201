package nl.beeldbrug.gateway.ai;

import javax.sql.DataSource;
import nl.beeldbrug.registry.ai.CohortStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AI platforms (issue 7): their keys and the access check every AI release point asks first. */
@Configuration(proxyBeanMethods = false)
public class AiConfiguration {

    @Bean
    AiPlatforms aiPlatforms(AiProperties properties) {
        return new AiPlatforms(properties);
    }

    @Bean
    CohortStore cohortStore(DataSource dataSource) {
        return new CohortStore(dataSource);
    }

    @Bean
    AiAccess aiAccess(AiPlatforms platforms) {
        return new AiAccess(platforms);
    }
}
