package nl.beeldbrug.registry.demo;

import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.RegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.SubmitObjectsRequestValidator;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

@ExtendWith(RegistryDatabaseExtension.class)
class DemoDataTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 29, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void demoPatientsAreValidTestBsns() {
        List<Bsn> patients = SyntheticStudies.patients(50);
        assertThat(patients).hasSize(50).doesNotHaveDuplicates();
        assertThat(patients).allSatisfy(b -> assertThat(b.value()).startsWith("99999"));
        assertThat(patients.get(0).value()).isEqualTo("999990007");
    }

    @Test
    void sameSeedSameStudies() {
        List<Bsn> patients = SyntheticStudies.patients(10);
        var a = SyntheticStudies.studies(20, patients, 7, NOW);
        var b = SyntheticStudies.studies(20, patients, 7, NOW);
        var c = SyntheticStudies.studies(20, patients, 8, NOW);
        assertThat(a).extracting(s -> s.manifest().getUniqueId()).isEqualTo(b.stream().map(s -> s.manifest().getUniqueId()).toList());
        assertThat(a).extracting(s -> s.manifest().getUniqueId()).doesNotContainAnyElementsOf(
                c.stream().map(s -> s.manifest().getUniqueId()).toList());
    }

    @Test
    void demoMetadataPassesTheIti42Validation() {
        for (SyntheticStudies.Study study : SyntheticStudies.studies(30, SyntheticStudies.patients(10), 3, NOW)) {
            RegisterDocumentSet request = new RegisterDocumentSet();
            request.setSubmissionSet(study.submissionSet());
            request.getDocumentEntries().add(study.manifest());
            request.getAssociations().add(new Association(AssociationType.HAS_MEMBER, "a1",
                    study.submissionSet().getEntryUuid(), study.manifest().getEntryUuid()));
            request.getAssociations().get(0).setLabel(org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel.ORIGINAL);
            var ebXml = new RegisterDocumentSetTransformer(new EbXMLFactory30()).toEbXML(request);
            assertThatCode(() -> SubmitObjectsRequestValidator.getInstance().validate(ebXml, XDS.Interactions.ITI_42))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void loadsOnceAndIsIdempotent(TestDatabase db) {
        XdsStore store = new XdsStore();
        PatientIndex patients = new PatientIndex();
        DocumentRegistryService registry = new DocumentRegistryService(db.dataSource(), store, patients, Clock.systemUTC());
        DocumentRepositoryService repository = new DocumentRepositoryService(db.dataSource(), registry, "1.2.3.4", 1 << 20);
        DemoDataLoader loader = new DemoDataLoader(db.dataSource(), patients, registry, repository, store);

        DemoDataLoader.Loaded first = loader.load(300, 11, NOW);
        TestDatabase.RowCounts afterFirst = db.rowCounts();
        DemoDataLoader.Loaded second = loader.load(300, 11, NOW.plusDays(1));

        assertThat(first.alreadyPresent()).isFalse();
        assertThat(first.studiesAdded()).isEqualTo(300);
        assertThat(afterFirst.documentContents()).isEqualTo(300);          // one report per study
        assertThat(afterFirst.registryObjects()).isEqualTo(300 * 4);       // 2 submission sets + KOS + report
        // every object is its own logical object (a copied submission set must not share one)
        assertThat(db.queryForString("select count(distinct logical_id)::text from registry_object"))
                .isEqualTo(Long.toString(afterFirst.registryObjects()));
        assertThat(second.alreadyPresent()).isTrue();
        assertThat(db.rowCounts()).isEqualTo(afterFirst);
    }
}
