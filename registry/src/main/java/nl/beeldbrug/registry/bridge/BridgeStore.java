package nl.beeldbrug.registry.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge's own tables (migration V9): what each connected archive holds ({@code bridge_study},
 * {@code bridge_instance}, {@code bridge_rejection}), what was registered for it, the polling watermarks and the
 * review list. Plain JDBC on the caller's connection.
 */
public final class BridgeStore {

    /** A study's publication state. */
    public record Publication(String sourceId, String studyUid, String fingerprint, Instant changedAt,
                              String attemptedFingerprint, String manifestEntryUuid, String state) {
    }

    /** One entry of the review list. */
    public record ReviewEntry(String sourceId, String studyUid, String reason, String detail, Instant createdAt,
                              Instant updatedAt) {
    }

    // ------------------------------------------------------------------ watermarks

    public Optional<String> watermark(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select watermark from bridge_watermark where source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void setWatermark(Connection c, String sourceId, String watermark, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_watermark (source_id, watermark, updated_at) values (?, ?, ?)
                on conflict (source_id) do update set watermark = excluded.watermark, updated_at = excluded.updated_at""")) {
            ps.setString(1, sourceId);
            ps.setString(2, watermark);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ studies

    /** How many instances of the study are known (rejection notes included); -1 when the study is unknown. */
    public int instanceCount(Connection c, String sourceId, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select (select count(*) from bridge_instance i where i.source_id = s.source_id and i.study_uid = s.study_uid)
                from bridge_study s where s.source_id = ? and s.study_uid = ?""")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    /**
     * Records what the archive holds of a study. {@code complete}: the study's whole instance list (a poll), which
     * replaces the stored one; otherwise the instances are added (pushed instances arrive one by one). The change
     * time moves only when the fingerprint changes. Returns true when it changed.
     */
    public boolean observe(Connection c, String sourceId, ArchiveStudy study, boolean complete, Instant now) throws SQLException {
        lock(c, sourceId, study.studyInstanceUid());
        ArchiveStudy merged = complete ? study : merge(load(c, sourceId, study.studyInstanceUid()).orElse(null), study);
        String fingerprint = merged.fingerprint();
        Optional<Publication> before = publication(c, sourceId, study.studyInstanceUid());
        if (before.isPresent() && before.get().fingerprint().equals(fingerprint)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_study (source_id, study_uid, patient_id, issuer_of_patient_id, other_patient_ids,
                    patient_name, patient_birth_date, patient_sex, accession_number, study_date, study_time,
                    study_description, referring_physician, fingerprint, changed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (source_id, study_uid) do update set patient_id = excluded.patient_id,
                    issuer_of_patient_id = excluded.issuer_of_patient_id, other_patient_ids = excluded.other_patient_ids,
                    patient_name = excluded.patient_name, patient_birth_date = excluded.patient_birth_date,
                    patient_sex = excluded.patient_sex, accession_number = excluded.accession_number,
                    study_date = excluded.study_date, study_time = excluded.study_time,
                    study_description = excluded.study_description, referring_physician = excluded.referring_physician,
                    fingerprint = excluded.fingerprint, changed_at = excluded.changed_at""")) {
            int i = 1;
            ps.setString(i++, sourceId);
            ps.setString(i++, merged.studyInstanceUid());
            ps.setString(i++, merged.patient().patientId());
            ps.setString(i++, merged.patient().issuerOfPatientId());
            ps.setString(i++, others(merged.patient()));
            ps.setString(i++, merged.patientName());
            ps.setString(i++, merged.patientBirthDate());
            ps.setString(i++, merged.patientSex());
            ps.setString(i++, merged.accessionNumber());
            ps.setString(i++, merged.studyDate());
            ps.setString(i++, merged.studyTime());
            ps.setString(i++, merged.studyDescription());
            ps.setString(i++, merged.referringPhysician());
            ps.setString(i++, fingerprint);
            ps.setTimestamp(i, Timestamp.from(now));
            ps.executeUpdate();
        }
        try (PreparedStatement del = c.prepareStatement("delete from bridge_instance where source_id = ? and study_uid = ?")) {
            del.setString(1, sourceId);
            del.setString(2, merged.studyInstanceUid());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_instance (source_id, study_uid, sop_instance_uid, series_uid, sop_class_uid, modality,
                    body_part, rejected) values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (ArchiveInstance inst : merged.instances()) {
                ps.setString(1, sourceId);
                ps.setString(2, merged.studyInstanceUid());
                ps.setString(3, inst.sopInstanceUid());
                ps.setString(4, inst.seriesInstanceUid());
                ps.setString(5, inst.sopClassUid());
                ps.setString(6, inst.modality());
                ps.setString(7, inst.bodyPart());
                ps.setBoolean(8, merged.rejections().containsKey(inst.sopInstanceUid()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement del = c.prepareStatement("delete from bridge_rejection where source_id = ? and study_uid = ?")) {
            del.setString(1, sourceId);
            del.setString(2, merged.studyInstanceUid());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_rejection (source_id, study_uid, note_uid, rejected_uid, reason_code)
                values (?, ?, '', ?, ?)""")) {
            for (Map.Entry<String, String> r : merged.rejections().entrySet()) {
                ps.setString(1, sourceId);
                ps.setString(2, merged.studyInstanceUid());
                ps.setString(3, r.getKey());
                ps.setString(4, r.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return true;
    }

    private static ArchiveStudy merge(ArchiveStudy known, ArchiveStudy added) {
        if (known == null) {
            return added;
        }
        Map<String, ArchiveInstance> instances = new java.util.LinkedHashMap<>();
        known.instances().forEach(i -> instances.put(i.sopInstanceUid(), i));
        added.instances().forEach(i -> instances.put(i.sopInstanceUid(), i));
        Map<String, String> rejections = new HashMap<>(known.rejections());
        rejections.putAll(added.rejections());
        return new ArchiveStudy(added.studyInstanceUid(), added.patient(), added.patientName(), added.patientBirthDate(),
                added.patientSex(), added.accessionNumber(), added.studyDate(), added.studyTime(),
                added.studyDescription(), added.referringPhysician(), List.copyOf(instances.values()), rejections);
    }

    /** The study as last observed. */
    public Optional<ArchiveStudy> load(Connection c, String sourceId, String studyUid) throws SQLException {
        ArchiveStudy header;
        try (PreparedStatement ps = c.prepareStatement("select * from bridge_study where source_id = ? and study_uid = ?")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                header = new ArchiveStudy(studyUid, new DicomPatient(rs.getString("patient_id"),
                        rs.getString("issuer_of_patient_id"), parseOthers(rs.getString("other_patient_ids"))),
                        rs.getString("patient_name"), rs.getString("patient_birth_date"), rs.getString("patient_sex"),
                        rs.getString("accession_number"), rs.getString("study_date"), rs.getString("study_time"),
                        rs.getString("study_description"), rs.getString("referring_physician"), List.of(), Map.of());
            }
        }
        List<ArchiveInstance> instances = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select series_uid, sop_class_uid, sop_instance_uid, modality, body_part from bridge_instance
                where source_id = ? and study_uid = ? order by series_uid, sop_instance_uid""")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    instances.add(new ArchiveInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        Map<String, String> rejections = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select rejected_uid, reason_code from bridge_rejection where source_id = ? and study_uid = ?")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rejections.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return Optional.of(new ArchiveStudy(studyUid, header.patient(), header.patientName(), header.patientBirthDate(),
                header.patientSex(), header.accessionNumber(), header.studyDate(), header.studyTime(),
                header.studyDescription(), header.referringPhysician(), instances, rejections));
    }

    public Optional<Publication> publication(Connection c, String sourceId, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select source_id, study_uid, fingerprint, changed_at, attempted_fingerprint, manifest_entry_uuid, state
                from bridge_study where source_id = ? and study_uid = ?""")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(publication(rs)) : Optional.empty();
            }
        }
    }

    /** Studies that changed since they were last published (or sent to review) and have not changed since {@code stableSince}. */
    public List<Publication> due(Connection c, String sourceId, Instant stableSince, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select source_id, study_uid, fingerprint, changed_at, attempted_fingerprint, manifest_entry_uuid, state
                from bridge_study where source_id = ? and attempted_fingerprint is distinct from fingerprint
                  and changed_at <= ? order by changed_at limit ?""")) {
            ps.setString(1, sourceId);
            ps.setTimestamp(2, Timestamp.from(stableSince));
            ps.setInt(3, limit);
            List<Publication> due = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(publication(rs));
                }
            }
            return due;
        }
    }

    /** The attempt for {@code fingerprint} ended in {@code state}; the manifest is the study's current one (or null). */
    public void attempted(Connection c, String sourceId, String studyUid, String fingerprint, String state,
                          String manifestEntryUuid, String manifestUniqueId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update bridge_study set attempted_fingerprint = ?, state = ?,
                    manifest_entry_uuid = coalesce(?, manifest_entry_uuid), manifest_unique_id = coalesce(?, manifest_unique_id),
                    published_at = case when ? = 'published' then ? else published_at end
                where source_id = ? and study_uid = ?""")) {
            ps.setString(1, fingerprint);
            ps.setString(2, state);
            ps.setString(3, manifestEntryUuid);
            ps.setString(4, manifestUniqueId);
            ps.setString(5, state);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, sourceId);
            ps.setString(8, studyUid);
            ps.executeUpdate();
        }
        if (!"review".equals(state)) {
            try (PreparedStatement del = c.prepareStatement("delete from bridge_review where source_id = ? and study_uid = ?")) {
                del.setString(1, sourceId);
                del.setString(2, studyUid);
                del.executeUpdate();
            }
        }
    }

    // ------------------------------------------------------------------ reports

    public Optional<String> reportEntry(Connection c, String sourceId, String sopInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select entry_uuid from bridge_report where source_id = ? and sop_instance_uid = ?")) {
            ps.setString(1, sourceId);
            ps.setString(2, sopInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public List<String> reportEntries(Connection c, String sourceId, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select entry_uuid from bridge_report where source_id = ? and study_uid = ?")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            List<String> uuids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uuids.add(rs.getString(1));
                }
            }
            return uuids;
        }
    }

    public void reportRegistered(Connection c, String sourceId, String studyUid, String sopInstanceUid, String entryUuid)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_report (source_id, study_uid, sop_instance_uid, entry_uuid) values (?, ?, ?, ?)
                on conflict do nothing""")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            ps.setString(3, sopInstanceUid);
            ps.setString(4, entryUuid);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ review list

    public void review(Connection c, String sourceId, String studyUid, String reason, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into bridge_review (source_id, study_uid, reason, detail, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (source_id, study_uid) do update set reason = excluded.reason, detail = excluded.detail,
                    updated_at = excluded.updated_at""")) {
            ps.setString(1, sourceId);
            ps.setString(2, studyUid);
            ps.setString(3, reason);
            ps.setString(4, detail);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** The review list, newest first; {@code sourceId} null = all sources. */
    public List<ReviewEntry> reviewList(Connection c, String sourceId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select source_id, study_uid, reason, detail, created_at, updated_at from bridge_review
                where ?::text is null or source_id = ? order by updated_at desc, study_uid limit ?""")) {
            ps.setString(1, sourceId);
            ps.setString(2, sourceId);
            ps.setInt(3, limit);
            List<ReviewEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new ReviewEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()));
                }
            }
            return entries;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void lock(Connection c, String sourceId, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 9))")) {
            ps.setString(1, "bridge:" + sourceId + ":" + studyUid);
            ps.executeQuery().close();
        }
    }

    private static Publication publication(ResultSet rs) throws SQLException {
        return new Publication(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }

    private static String others(DicomPatient patient) {
        if (patient.otherPatientIds().isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (DicomPatient.OtherPatientId o : patient.otherPatientIds()) {
            s.append(o.patientId() == null ? "" : o.patientId()).append('|')
                    .append(o.issuerOfPatientId() == null ? "" : o.issuerOfPatientId()).append('\n');
        }
        return s.toString();
    }

    private static List<DicomPatient.OtherPatientId> parseOthers(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<DicomPatient.OtherPatientId> others = new ArrayList<>();
        for (String line : text.split("\n")) {
            int bar = line.indexOf('|');
            if (bar >= 0) {
                others.add(new DicomPatient.OtherPatientId(emptyToNull(line.substring(0, bar)), emptyToNull(line.substring(bar + 1))));
            }
        }
        return others;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
