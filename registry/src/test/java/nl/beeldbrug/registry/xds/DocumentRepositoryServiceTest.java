package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.testing.TestDatabase.RowCounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import static nl.beeldbrug.registry.testing.SampleMetadata.BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.REPOSITORY_UNIQUE_ID;
import static nl.beeldbrug.registry.testing.SampleMetadata.newUid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ITI-41 Provide and Register Document Set-b and ITI-43 Retrieve Document Set (ITI TF-2b 3.41, 3.43). */
@ExtendWith(RegistryDatabaseExtension.class)
class DocumentRepositoryServiceTest {

    private static final long MAX_BYTES = 1024;

    private final TestDatabase db;
    private final XdsStore store = new XdsStore();
    private final DocumentRepositoryService repository;
    private final SampleMetadata sample = SampleMetadata.forPatient(BSN);

    DocumentRepositoryServiceTest(TestDatabase db) {
        this.db = db;
        DocumentRegistryService registry = new DocumentRegistryService(db.dataSource(), store, new PatientIndex(),
                Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC));
        this.repository = new DocumentRepositoryService(db.dataSource(), registry, REPOSITORY_UNIQUE_ID, MAX_BYTES);
    }

    @BeforeEach
    void knownPatient() {
        db.addPatient(BSN);
    }

    @Test
    void storesTheBytesAndRegistersHashSizeAndRepository() {
        DocumentEntry kos = sample.kos(newUid());
        byte[] content = sample.contentOf(kos);

        DocumentRegistryService.RegistrationResult result = repository.provideAndRegister(
                sample.provideAndRegister(sample.submissionSet(), kos));

        assertThat(db.rowCounts()).isEqualTo(new RowCounts(2, 1, 1));
        DocumentEntry registered = (DocumentEntry) find(result.documentEntryUuids().get(0));
        assertThat(registered.getHash()).isEqualTo(SampleMetadata.sha1(content)).matches("[0-9a-f]{40}");
        assertThat(registered.getSize()).isEqualTo(content.length);
        assertThat(registered.getRepositoryUniqueId()).isEqualTo(REPOSITORY_UNIQUE_ID);
        assertThat(db.queryForString("select hash from document_content where document_unique_id = ?", kos.getUniqueId()))
                .isEqualTo(registered.getHash());
        assertThat(db.queryForString("select mime_type from document_content where document_unique_id = ?", kos.getUniqueId()))
                .isEqualTo("application/dicom");

        RetrievedDocumentSet retrieved = repository.retrieve(retrieve(REPOSITORY_UNIQUE_ID, kos.getUniqueId()));
        assertThat(retrieved.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(retrieved.getErrors()).isEmpty();
        RetrievedDocument document = retrieved.getDocuments().get(0);
        assertThat(bytes(document)).isEqualTo(content);
        assertThat(document.getMimeType()).isEqualTo("application/dicom");
        assertThat(document.getRequestData().getDocumentUniqueId()).isEqualTo(kos.getUniqueId());
        assertThat(document.getRequestData().getRepositoryUniqueId()).isEqualTo(REPOSITORY_UNIQUE_ID);
    }

    @Test
    void matchingHashAndSizeInTheMetadataAreAccepted() {
        DocumentEntry kos = sample.kos(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), kos);
        byte[] content = sample.contentOf(kos);
        kos.setHash(SampleMetadata.sha1(content).toUpperCase());
        kos.setSize((long) content.length);

        repository.provideAndRegister(request);

        assertThat(db.rowCounts().documentContents()).isEqualTo(1);
    }

    @Test
    void wrongHashInTheMetadataIsRepositoryMetadataError() {
        DocumentEntry kos = sample.kos(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), kos);
        kos.setHash("da39a3ee5e6b4b0d3255bfef95601890afd80709"); // SHA-1 of nothing

        assertRefused(request, ErrorCode.REPOSITORY_METADATA_ERROR);
    }

    @Test
    void wrongSizeInTheMetadataIsRepositoryMetadataError() {
        DocumentEntry kos = sample.kos(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), kos);
        kos.setSize((long) sample.contentOf(kos).length + 1);

        assertRefused(request, ErrorCode.REPOSITORY_METADATA_ERROR);
    }

    @Test
    void documentOverTheSizeLimitIsOutOfResourcesAndStoresNothing() {
        DocumentEntry small = sample.kos(newUid());
        DocumentEntry large = sample.report(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), small, large);
        byte[] tooLarge = new byte[(int) MAX_BYTES + 1];
        Arrays.fill(tooLarge, (byte) 'x');
        request.getDocuments().get(1).setDataHandler(SampleMetadata.dataHandler(tooLarge, "application/pdf"));

        assertRefused(request, ErrorCode.REPOSITORY_OUT_OF_RESOURCES);
    }

    @Test
    void documentOfExactlyTheLimitIsAccepted() {
        DocumentEntry report = sample.report(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), report);
        request.getDocuments().get(0).setDataHandler(SampleMetadata.dataHandler(new byte[(int) MAX_BYTES], "application/pdf"));

        repository.provideAndRegister(request);

        assertThat(db.rowCounts().documentContents()).isEqualTo(1);
    }

    @Test
    void missingContentIsMissingDocument() {
        DocumentEntry kos = sample.kos(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), kos);
        Document withoutContent = new Document();
        withoutContent.setDocumentEntry(kos);
        request.getDocuments().set(0, withoutContent);

        assertRefused(request, ErrorCode.MISSING_DOCUMENT);
    }

    @Test
    void registryRefusalAlsoDiscardsTheBytes() {
        SampleMetadata unknownPatient = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);
        ProvideAndRegisterDocumentSet request = unknownPatient.provideAndRegister(
                unknownPatient.submissionSet(), unknownPatient.kos(newUid()));

        assertRefused(request, ErrorCode.UNKNOWN_PATIENT_ID);
    }

    @Test
    void identicalResubmissionStoresNothingTwice() {
        DocumentEntry kos = sample.kos(newUid());
        var set = sample.submissionSet();
        repository.provideAndRegister(sample.provideAndRegister(set, kos));
        RowCounts after = db.rowCounts();

        SampleMetadata again = SampleMetadata.forPatient(BSN);
        DocumentEntry sameKos = again.kos(newUid());
        var sameSet = again.submissionSet();
        sameSet.setUniqueId(set.getUniqueId());
        ProvideAndRegisterDocumentSet retry = again.provideAndRegister(sameSet, sameKos);
        sameKos.setUniqueId(kos.getUniqueId());
        retry.getDocuments().get(0).setDataHandler(SampleMetadata.dataHandler(sample.contentOf(kos), "application/dicom"));

        assertThat(repository.provideAndRegister(retry).resubmission()).isTrue();
        assertThat(db.rowCounts()).isEqualTo(after);
    }

    @Test
    void differentContentUnderAStoredUniqueIdIsNonIdenticalHash() {
        DocumentEntry kos = sample.kos(newUid());
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), kos));

        DocumentEntry changed = sample.kos(newUid());
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), changed);
        changed.setUniqueId(kos.getUniqueId());

        assertRefused(request, ErrorCode.NON_IDENTICAL_HASH);
    }

    // ---------------------------------------------------------------- ITI-43

    @Test
    void unknownDocumentIsDocumentUniqueIdError() {
        RetrievedDocumentSet response = repository.retrieve(retrieve(REPOSITORY_UNIQUE_ID, "1.2.3.4.404"));

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(response.getDocuments()).isEmpty();
        assertThat(response.getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR);
            assertThat(e.getSeverity()).isEqualTo(Severity.ERROR);
            assertThat(e.getLocation()).isEqualTo("1.2.3.4.404");
        });
    }

    @Test
    void unknownRepositoryIsUnknownRepositoryId() {
        DocumentEntry kos = sample.kos(newUid());
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), kos));

        RetrievedDocumentSet response = repository.retrieve(retrieve("1.2.3.4.999", kos.getUniqueId()));

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(response.getDocuments()).isEmpty();
        assertThat(response.getErrors()).extracting(ErrorInfo::getErrorCode).containsExactly(ErrorCode.UNKNOWN_REPOSITORY_ID);
        assertThat(response.getErrors().get(0).getLocation()).isEqualTo("1.2.3.4.999");
    }

    @Test
    void someFoundSomeNotIsPartialSuccess() {
        DocumentEntry kos = sample.kos(newUid());
        DocumentEntry report = sample.report(newUid());
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), kos, report));

        RetrievedDocumentSet response = repository.retrieve(retrieve(REPOSITORY_UNIQUE_ID,
                kos.getUniqueId(), "1.2.3.4.404", report.getUniqueId()));

        assertThat(response.getStatus()).isEqualTo(Status.PARTIAL_SUCCESS);
        assertThat(response.getDocuments()).extracting(d -> d.getRequestData().getDocumentUniqueId())
                .containsExactly(kos.getUniqueId(), report.getUniqueId());
        assertThat(bytes(response.getDocuments().get(1))).isEqualTo(sample.contentOf(report));
        assertThat(response.getErrors()).extracting(ErrorInfo::getErrorCode).containsExactly(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR);
    }

    // ---------------------------------------------------------------- helpers

    private void assertRefused(ProvideAndRegisterDocumentSet request, ErrorCode code) {
        RowCounts before = db.rowCounts();
        assertThatThrownBy(() -> repository.provideAndRegister(request))
                .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(code));
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    private static RetrieveDocumentSet retrieve(String repositoryUniqueId, String... documentUniqueIds) {
        RetrieveDocumentSet request = new RetrieveDocumentSet();
        for (String id : documentUniqueIds) {
            request.getDocuments().add(new DocumentReference(repositoryUniqueId, id, null));
        }
        return request;
    }

    private static byte[] bytes(RetrievedDocument document) {
        try (InputStream in = document.getDataHandler().getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private XDSMetaClass find(String uuid) {
        return Database.read(db.dataSource(), c -> store.findByUuid(c, uuid)).orElseThrow();
    }

}
