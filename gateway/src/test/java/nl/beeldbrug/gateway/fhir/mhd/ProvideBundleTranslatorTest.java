package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.ProvideAndRegisterDocumentSetRequestValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ITI-65 bundle → ITI-41 request, without a server: the result passes IPF's ITI-41 validator. */
class ProvideBundleTranslatorTest {

    private final SampleMetadata a = SampleMetadata.forPatient(SampleMetadata.BSN);
    private final ProvideBundleTranslator translator = new ProvideBundleTranslator();

    @Test
    void translatedBundleIsAValidIti41Request() {
        String study = SampleMetadata.newUid();
        Bundle bundle = MhdBundles.provideBundle(a, study, MhdSamples.BASE, false);
        ProvideBundleTranslator.Translation translation = translator.translate(bundle);
        ProvideAndRegisterDocumentSet request = translation.request();

        assertThat(translation.patient()).isEqualTo(a.bsn());
        assertThat(request.getDocuments()).hasSize(2);
        assertThat(request.getFolders()).hasSize(1);
        assertThat(request.getDocuments().get(0).getDocumentEntry().getReferenceIdList())
                .contains(new ReferenceId(study, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        assertThat(request.getAssociations()).filteredOn(x -> x.getAssociationType() == AssociationType.HAS_MEMBER).hasSize(5);
        assertThatCode(() -> ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(
                new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request), XDS.Interactions.ITI_41))
                .doesNotThrowAnyException();
    }

    @Test
    void theTestBundleIsAComprehensiveProvideBundle() {
        Bundle bundle = MhdBundles.provideBundle(a, SampleMetadata.newUid(), MhdSamples.BASE, false);
        MhdValidation.assertValid(bundle, MhdNaming.COMPREHENSIVE_PROVIDE_BUNDLE);
    }

    @Test
    void patientReferencesInEachForm() {
        String bsn = a.bsn().value();
        assertThat(ProvideBundleTranslator.patient("s", new Reference("Patient/" + bsn))).isEqualTo(a.bsn());
        assertThat(ProvideBundleTranslator.patient("s", new Reference("https://x.example/fhir/Patient/" + bsn))).isEqualTo(a.bsn());
        assertThat(ProvideBundleTranslator.patient("s", new Reference("Patient?identifier=" + FhirNaming.BSN + "|" + bsn))).isEqualTo(a.bsn());
        assertThat(ProvideBundleTranslator.patient("s", new Reference("https://x.example/fhir/Patient?identifier="
                + FhirNaming.BSN.replace(":", "%3A").replace("/", "%2F") + "%7C" + bsn))).isEqualTo(a.bsn());
        assertThat(ProvideBundleTranslator.patient("s", new Reference().setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem(FhirNaming.BSN).setValue(bsn)))).isEqualTo(a.bsn());
        assertThatThrownBy(() -> ProvideBundleTranslator.patient("s", new Reference("Patient/123456789")))
                .isInstanceOf(InvalidRequestException.class).hasMessage("s: not a valid BSN");
        assertThatThrownBy(() -> ProvideBundleTranslator.patient("s", new Reference("Patient?identifier=urn:oid:1.2|" + bsn)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining(FhirNaming.BSN);
        assertThatThrownBy(() -> ProvideBundleTranslator.patient("s", new Reference("urn:uuid:1234")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ProvideBundleTranslator.patient("s", null)).isInstanceOf(InvalidRequestException.class);
    }
}
