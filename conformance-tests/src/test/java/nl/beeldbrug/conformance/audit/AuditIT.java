package nl.beeldbrug.conformance.audit;

import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.SyslogReceiver;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.time.Duration;
import java.util.List;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ATNA: every transaction, accepted or refused, reaches the audit repository (a UDP syslog receiver here)
 * as the audit message IPF defines for it, with the IHE transaction code and the outcome.
 */
@ExtendWith(SharedGateway.class)
class AuditIT {

    private static final String PATIENT = Patients.demo(10);
    /** How a patient id of the affinity domain appears in the audit XML. */
    private static final String PATIENT_IN_AUDIT = PATIENT + "^^^&amp;" + Submission.BSN_OID + "&amp;ISO";

    private static XdsClient client;
    private static SyslogReceiver syslog;

    @BeforeAll
    static void connect(XdsClient xds, SyslogReceiver receiver) {
        client = xds;
        syslog = receiver;
    }

    /** Waits for the one audit message of {@code transaction} that contains {@code marker}. */
    private static String auditOf(String transaction, String marker) {
        return await(transaction + " audit containing " + marker).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> syslog.forTransaction(transaction).stream().filter(m -> m.contains(marker)).toList(),
                        found -> found.size() == 1)
                .get(0);
    }

    private static String outcome(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("EventOutcomeIndicator=\"(\\d+)\"").matcher(message);
        assertThat(m.find()).as("EventOutcomeIndicator in %s", message).isTrue();
        return m.group(1);
    }

    private static void assertSuccessAudit(String message, String transaction) {
        assertThat(message).contains("csd-code=\"" + transaction + "\"").contains("codeSystemName=\"IHE Transactions\"");
        assertThat(outcome(message)).isEqualTo("0");
        assertThat(message).contains("AuditSourceID=\"beeldbrug\"");
    }

    private static void assertFailureAudit(String message, String transaction) {
        assertThat(message).contains("csd-code=\"" + transaction + "\"");
        assertThat(outcome(message)).isIn("4", "8", "12");
    }

    @Test
    void provideAndRegisterAndRetrieveAreAudited() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.document("Verslag, geaudit");
        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));

        String iti41 = auditOf("ITI-41", submission.submissionSet().getUniqueId());
        assertSuccessAudit(iti41, "ITI-41");
        assertThat(iti41).contains(PATIENT_IN_AUDIT);

        assertSuccess(client.retrieve(Registry.retrieve(List.of(entry.getUniqueId()), Submission.REPOSITORY)));
        assertSuccessAudit(auditOf("ITI-43", entry.getUniqueId()), "ITI-43");
    }

    @Test
    void registerUpdateAndDeleteAreAudited() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        String iti42 = auditOf("ITI-42", submission.submissionSet().getUniqueId());
        assertSuccessAudit(iti42, "ITI-42");
        assertThat(iti42).contains(PATIENT_IN_AUDIT);

        Submission update = Submission.forPatient(PATIENT);
        Association change = new Association(AssociationType.UPDATE_AVAILABILITY_STATUS, Submission.uuid(),
                update.submissionSet().getEntryUuid(), entry.getEntryUuid());
        change.setOriginalStatus(AvailabilityStatus.APPROVED);
        change.setNewStatus(AvailabilityStatus.DEPRECATED);
        update.add(change);
        assertSuccess(client.update(update.register()));
        String iti57 = auditOf("ITI-57", update.submissionSet().getUniqueId());
        assertSuccessAudit(iti57, "ITI-57");
        assertThat(iti57).contains(PATIENT_IN_AUDIT);

        RemoveMetadata remove = new RemoveMetadata();
        remove.getReferences().add(new ObjectReference(entry.getEntryUuid()));
        remove.getReferences().add(new ObjectReference(submission.associations().get(0).getEntryUuid()));
        remove.getReferences().add(new ObjectReference(submission.submissionSet().getEntryUuid()));
        remove.getReferences().add(new ObjectReference(change.getEntryUuid()));
        remove.getReferences().add(new ObjectReference(update.submissionSet().getEntryUuid()));
        assertSuccess(client.delete(remove));
        assertSuccessAudit(auditOf("ITI-62", entry.getEntryUuid()), "ITI-62");
    }

    @Test
    void storedQueryIsAuditedWithThePatient() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        int before = syslog.forTransaction("ITI-18").size();
        assertSuccess(client.query(leafClass(query)));

        String iti18 = await("ITI-18 audit").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> syslog.forTransaction("ITI-18"), all -> all.size() > before)
                .stream().filter(m -> m.contains(PATIENT_IN_AUDIT)).reduce((a, b) -> b).orElseThrow(
                        () -> new AssertionError("no ITI-18 audit message names the patient " + PATIENT));
        assertSuccessAudit(iti18, "ITI-18");
        assertThat(iti18).contains("ParticipantObjectTypeCodeRole=\"1\"") // the patient
                .contains("urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"); // the FindDocuments query id
    }

    @Test
    void refusedRequestsAreAuditedAsFailures() {
        Submission refused = Submission.forPatient(Patients.validButUnknown());
        refused.document("Verslag voor een onbekende patient");
        assertFailure(client.provideAndRegister(refused.provideAndRegister()), ErrorCode.UNKNOWN_PATIENT_ID);
        assertFailureAudit(auditOf("ITI-41", refused.submissionSet().getUniqueId()), "ITI-41");

        Submission refusedRegistration = Submission.forPatient(Patients.invalid());
        refusedRegistration.registryEntry();
        assertFailure(client.register(refusedRegistration.register()), ErrorCode.UNKNOWN_PATIENT_ID);
        assertFailureAudit(auditOf("ITI-42", refusedRegistration.submissionSet().getUniqueId()), "ITI-42");

        String unknown = Submission.uid();
        assertThat(client.retrieve(Registry.retrieve(List.of(unknown), Submission.REPOSITORY)).getStatus()).isEqualTo(Status.FAILURE);
        assertFailureAudit(auditOf("ITI-43", unknown), "ITI-43");

        FindDocumentsQuery invalidPatient = new FindDocumentsQuery();
        String invalid = Patients.invalid();
        invalidPatient.setPatientId(Submission.patientId(invalid));
        invalidPatient.setStatus(List.of(AvailabilityStatus.APPROVED));
        int seen = syslog.forTransaction("ITI-18").size(); // other tests query this invalid BSN too
        assertFailure(client.query(leafClass(invalidPatient)), ErrorCode.UNKNOWN_PATIENT_ID);
        String iti18 = await("ITI-18 audit of the refused query").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> syslog.forTransaction("ITI-18").stream().skip(seen).filter(m -> m.contains(invalid + "^^^")).toList(),
                        found -> !found.isEmpty())
                .get(0);
        assertFailureAudit(iti18, "ITI-18");
        assertThat(iti18).contains("patient id is not a valid BSN");

        Submission refusedUpdate = Submission.forPatient(PATIENT);
        Association change = new Association(AssociationType.UPDATE_AVAILABILITY_STATUS, Submission.uuid(),
                refusedUpdate.submissionSet().getEntryUuid(), Submission.uuid());
        change.setOriginalStatus(AvailabilityStatus.APPROVED);
        change.setNewStatus(AvailabilityStatus.DEPRECATED);
        refusedUpdate.add(change);
        assertThat(client.update(refusedUpdate.register()).getStatus()).isEqualTo(Status.FAILURE);
        assertFailureAudit(auditOf("ITI-57", refusedUpdate.submissionSet().getUniqueId()), "ITI-57");

        String missing = Submission.uuid();
        RemoveMetadata remove = new RemoveMetadata();
        remove.getReferences().add(new ObjectReference(missing));
        assertFailure(client.delete(remove), ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION);
        assertFailureAudit(auditOf("ITI-62", missing), "ITI-62");
    }
}
