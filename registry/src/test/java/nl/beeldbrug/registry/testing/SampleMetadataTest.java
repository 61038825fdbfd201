package nl.beeldbrug.registry.testing;

import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.RegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.ProvideAndRegisterDocumentSetRequestValidator;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.SubmitObjectsRequestValidator;

import static nl.beeldbrug.registry.testing.SampleMetadata.BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.newUid;
import static org.assertj.core.api.Assertions.assertThat;

/** The sample metadata passes IPF's own ITI-42 and ITI-41 validation (so gateway tests can send it). */
class SampleMetadataTest {

    private final SampleMetadata sample = SampleMetadata.forPatient(BSN);

    @Test
    void registrationWithFolderIsValidIti42() {
        String study = newUid();
        DocumentEntry kos = sample.kos(study);
        RegisterDocumentSet request = sample.register(kos, sample.report(study));
        sample.addFolder(request, kos);

        var ebXml = new RegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request);

        SubmitObjectsRequestValidator.getInstance().validate(ebXml, XDS.Interactions.ITI_42);
    }

    @Test
    void provideAndRegisterIsValidIti41() {
        String study = newUid();
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), sample.kos(study), sample.report(study));

        var ebXml = new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request);

        ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(ebXml, XDS.Interactions.ITI_41);
    }

    @Test
    void kosCarriesTheStudyAsReferenceIdAndTheBsnAsPatientId() {
        String study = newUid();
        DocumentEntry kos = sample.kos(study);

        assertThat(kos.getReferenceIdList()).extracting(Hl7v2Based::render)
                .contains(study + "^^^^urn:ihe:iti:xds:2013:uniqueId");
        assertThat(Hl7v2Based.render(kos.getPatientId())).isEqualTo(BSN.value() + "^^^&2.16.840.1.113883.2.4.6.3&ISO");
        assertThat(kos.getHash()).isEqualTo(SampleMetadata.sha1(sample.contentOf(kos)));
        assertThat(kos.getSize()).isEqualTo(sample.contentOf(kos).length);
        assertThat(study).startsWith("2.25.").hasSizeLessThanOrEqualTo(64).matches("[0-9.]+");
        assertThat(kos.getEntryUuid()).isEqualTo("Document01");
        assertThat(sample.report(study).getEntryUuid()).isEqualTo("Document02");
    }
}
