package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's FhirInstanceValidator against base R4 and the IHE MHD 4.2.1 profiles, loaded offline from
 * the IG package IPF ships ({@code META-INF/profiles/v421/ihe.iti.mhd.tgz}). One per test JVM.
 * Each resource is validated against the profile named explicitly (not only its meta.profile), so a
 * resource that forgot to claim its profile is still held to it.
 */
public final class MhdValidation {

    private static FhirValidator validator;

    private MhdValidation() {
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirContext context = FhirContext.forR4Cached();
            NpmPackageValidationSupport mhd = new NpmPackageValidationSupport(context);
            try {
                mhd.loadPackageFromClasspath("classpath:META-INF/profiles/v421/ihe.iti.mhd.tgz");
            } catch (IOException e) {
                throw new UncheckedIOException("the MHD 4.2.1 IG package is not on the test classpath", e);
            }
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(context),
                    mhd,
                    new CommonCodeSystemsTerminologyService(context),
                    new InMemoryTerminologyServerValidationSupport(context),
                    new SnapshotGeneratingValidationSupport(context));
            FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
            instanceValidator.setAnyExtensionsAllowed(true);
            instanceValidator.setErrorForUnknownProfiles(true);
            validator = context.newValidator().registerValidatorModule(instanceValidator);
        }
        return validator;
    }

    /** Errors and fatal messages of validating against base R4 and the given profile (warnings are allowed). */
    public static List<String> errors(IBaseResource resource, String profile) {
        ValidationOptions options = new ValidationOptions();
        if (profile != null) {
            options.addProfile(profile);
        }
        ValidationResult result = validator().validateWithResult(resource, options);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString)
                .toList();
    }

    public static void assertValid(IBaseResource resource, String profile) {
        assertThat(errors(resource, profile)).as("validation of %s against %s", resource.getIdElement().getValue(), profile).isEmpty();
    }
}
