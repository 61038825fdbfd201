package nl.beeldbrug.gateway.fhir;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The FHIR R4 face, under {@code beeldbrug.fhir.*} (e.g. {@code BEELDBRUG_FHIR_WADO_BASE_URL}).
 *
 * @param wadoBaseUrl     the WADO-RS base URL announced as {@code Endpoint/wado-rs}
 * @param defaultPageSize results per page without {@code _count}
 * @param maxPageSize     the largest {@code _count} accepted (400 beyond it)
 */
@Validated
@ConfigurationProperties("beeldbrug.fhir")
public record FhirProperties(@NotBlank @DefaultValue("http://localhost:8080/dicomweb") String wadoBaseUrl,
                             @Min(1) @DefaultValue("20") int defaultPageSize,
                             @Min(1) @Max(10000) @DefaultValue("500") int maxPageSize) {
}
