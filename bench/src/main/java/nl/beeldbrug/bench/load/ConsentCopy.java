package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.registry.consent.Actor;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.patient.Bsn;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The national corpus' consents ({@link nl.beeldbrug.bench.corpus.national.ConsentMix}) as the registry's
 * {@code ConsentStore.create} stores them (consent, its provisions, a "created" event), written with COPY.
 */
final class ConsentCopy {

    private static final int BATCH_PATIENTS = 50_000;

    private ConsentCopy() {
    }

    /** Writes every patient's consent; returns how many consents. */
    static long run(Connection c, NationalCorpus corpus) throws SQLException {
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        long consents = 0;
        try {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < corpus.patients(); from += BATCH_PATIENTS) {
                StringBuilder consent = new StringBuilder();
                StringBuilder provision = new StringBuilder();
                StringBuilder event = new StringBuilder();
                for (int p = from; p < Math.min(corpus.patients(), from + BATCH_PATIENTS); p++) {
                    Optional<ConsentRecord> record = corpus.consent(p, bsns.get(p), counts);
                    if (record.isEmpty()) {
                        continue;
                    }
                    rows(record.get(), consent, provision, event);
                    consents++;
                }
                copy.copyIn("COPY consent (id, patient_bsn, status, date_time, version, recorded_at, updated_at) FROM STDIN",
                        new StringReader(consent.toString()));
                copy.copyIn("COPY consent_provision (consent_id, ordinal, type, period_start, period_end, actor_uras,"
                        + " actor_org_types, purposes, data_classes, study_uids) FROM STDIN", new StringReader(provision.toString()));
                copy.copyIn("COPY consent_event (consent_id, version, status, event, reason, recorded_at) FROM STDIN",
                        new StringReader(event.toString()));
            }
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        return consents;
    }

    static void rows(ConsentRecord r, StringBuilder consent, StringBuilder provision, StringBuilder event) {
        String at = r.dateTime().toString();
        String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
        new CopyText(consent).field(r.id()).field(r.patient().value()).field(status).field(at).field(1L).field(at).field(at)
                .endRow();
        int ordinal = 0;
        for (Provision p : r.provisions()) {
            new CopyText(provision).field(r.id()).field(ordinal++).field(p.type().fhirCode())
                    .field(p.period().start() == null ? null : p.period().start().toString())
                    .field(p.period().end() == null ? null : p.period().end().toString())
                    .field(array(p.actors().stream().filter(a -> a instanceof Actor.Organisation)
                            .map(a -> ((Actor.Organisation) a).ura().value()).toList()))
                    .field(array(p.actors().stream().filter(a -> a instanceof Actor.OfType)
                            .map(a -> ((Actor.OfType) a).type().code()).toList()))
                    .field(array(p.purposes().stream().map(PurposeOfUse::code).toList()))
                    .field(array(p.dataClasses().stream().map(Enum::name).toList()))
                    .field(array(p.studyUids()))
                    .endRow();
        }
        new CopyText(event).field(r.id()).field(1L).field(status).field("created").field((String) null).field(at).endRow();
    }

    /** A text[] literal; the values here (URAs, codes, UIDs) need no quoting. */
    private static String array(Collection<String> values) {
        return values.stream().sorted().collect(Collectors.joining(",", "{", "}"));
    }
}
