package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.ProvideAndRegisterDocumentSetRequestValidator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static nl.beeldbrug.registry.bridge.StudyPublisherTest.ZDC;
import static nl.beeldbrug.registry.bridge.StudyPublisherTest.ct;
import static nl.beeldbrug.registry.bridge.StudyPublisherTest.study;
import static org.assertj.core.api.Assertions.assertThat;

class XdsiSubmissionMapperTest {

    private final XdsiSubmissionMapper mapper = new XdsiSubmissionMapper(new MutableClock(Instant.parse("2026-03-01T12:00:00Z")));

    @Test
    void theManifestCarriesTheXdsiMetadataAndPassesIpfsIti41Validation() {
        ArchiveStudy study = study("1.2.3", "999990019", Bsn.OID, List.of(ct("1.2.3.1", "1.2.3.1.1"),
                new ArchiveInstance("1.2.3.2", StudyPublisherTest.MR, "1.2.3.2.1", "MR", "HEAD")), Map.of());
        ProvideAndRegisterDocumentSet request = mapper.manifest(ZDC, study, Bsn.of("999990019"), "1.2.3.99", new byte[]{1, 2}, "urn:uuid:0b6b1b8e-1111-4a4a-9c9c-000000000001");
        DocumentEntry entry = request.getDocuments().get(0).getDocumentEntry();

        assertThat(entry.getPatientId().getId()).isEqualTo("999990019");
        assertThat(entry.getPatientId().getAssigningAuthority().getUniversalId()).isEqualTo(Bsn.OID);
        assertThat(entry.getSourcePatientId().getId()).isEqualTo("LOCAL-7");
        assertThat(entry.getSourcePatientId().getAssigningAuthority().getUniversalId()).isEqualTo("2.16.528.1.1007.3.3.34000011.2");
        assertThat(entry.getEventCodeList()).extracting(Code::getCode, Code::getSchemeName).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CT", XdsiCodes.DCM), org.assertj.core.groups.Tuple.tuple("MR", XdsiCodes.DCM),
                org.assertj.core.groups.Tuple.tuple("51185008", XdsiCodes.SNOMED), org.assertj.core.groups.Tuple.tuple("69536005", XdsiCodes.SNOMED));
        assertThat(entry.getReferenceIdList()).extracting(ReferenceId::getId, ReferenceId::getIdTypeCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1.2.3", "urn:ihe:iti:xds:2016:studyInstanceUID"),
                org.assertj.core.groups.Tuple.tuple("ACC-1", "urn:ihe:iti:xds:2013:accession"));
        assertThat(entry.getFormatCode().getCode()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.59");
        assertThat(entry.getMimeType()).isEqualTo("application/dicom");
        assertThat(entry.getServiceStartTime().getDateTime().toInstant()).isEqualTo(Instant.parse("2026-03-01T08:30:00Z"));
        assertThat(entry.getHealthcareFacilityTypeCode().getCode()).isEqualTo("Z5");
        assertThat(entry.getAuthors().get(0).getAuthorInstitution().get(0).toString()).contains("34000011");
        assertThat(request.getAssociations()).extracting(a -> a.getAssociationType())
                .containsExactly(AssociationType.HAS_MEMBER, AssociationType.REPLACE);

        var ebXml = new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request);
        ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(ebXml, XDS.Interactions.ITI_41);
    }

    @Test
    void aPdfReportSharesTheStudysReferences() {
        ArchiveStudy study = study("1.2.3", "999990019", Bsn.OID, List.of(ct("1.2.3.1", "1.2.3.1.1")), Map.of());
        ArchiveInstance pdf = new ArchiveInstance("1.2.3.9", ArchiveInstance.ENCAPSULATED_PDF, "1.2.3.9.1", "DOC", null);
        ProvideAndRegisterDocumentSet request = mapper.report(ZDC, study, Bsn.of("999990019"), pdf, new byte[]{'%'}, "application/pdf");
        DocumentEntry entry = request.getDocuments().get(0).getDocumentEntry();
        assertThat(entry.getUniqueId()).isEqualTo("1.2.3.9.1");
        assertThat(entry.getReferenceIdList()).extracting(ReferenceId::getId).containsExactly("1.2.3", "ACC-1");
        assertThat(entry.getTypeCode().getCode()).isEqualTo("18782-3");
        var ebXml = new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request);
        ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(ebXml, XDS.Interactions.ITI_41);
    }
}
