package nl.beeldbrug.conformance.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's FhirInstanceValidator against base R4, offline (no terminology server, no implementation
 * guides): errors and fatal messages fail, warnings pass. Extensions the validator cannot resolve (ours)
 * are allowed, and a declared profile it does not have (IHE MHD's) is not held against the resource: it is
 * checked against base R4 only. Built once per test JVM (it takes seconds).
 */
public final class R4Validator {

    private static FhirValidator validator;

    private R4Validator() {
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirContext context = Fhir.context();
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(context),
                    new CommonCodeSystemsTerminologyService(context),
                    new InMemoryTerminologyServerValidationSupport(context),
                    new SnapshotGeneratingValidationSupport(context));
            FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
            instanceValidator.setAnyExtensionsAllowed(true);
            validator = context.newValidator().registerValidatorModule(instanceValidator);
        }
        return validator;
    }

    public static List<String> errors(IBaseResource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .filter(m -> !"Validation_VAL_Profile_Unknown".equals(m.getMessageId()))
                .map(SingleValidationMessage::toString)
                .toList();
    }

    /** Fails with the validator's messages when {@code resource} is not valid base R4. */
    public static void assertValid(IBaseResource resource) {
        assertThat(errors(resource)).as("R4 validation of %s", resource.getIdElement().getValue()).isEmpty();
    }
}
