-- PACS bridge, publishing (issue 8): what each connected archive holds, what was registered for it,
-- the per-source polling watermark, and the studies held back for review (no valid BSN).

create table bridge_watermark (
    source_id  text primary key,
    watermark  text not null,          -- detector-defined; for QIDO/C-FIND the StudyDate (YYYYMMDD) of the last poll
    updated_at timestamptz not null
);

create table bridge_study (
    source_id            text not null,
    study_uid            text not null,
    patient_id           text,
    issuer_of_patient_id text,
    other_patient_ids    text,         -- "id|issuer" lines (Other Patient IDs Sequence)
    patient_name         text,
    patient_birth_date   text,
    patient_sex          text,
    accession_number     text,
    study_date           text,
    study_time           text,
    study_description    text,
    referring_physician  text,
    fingerprint          text not null, -- over the instance list and rejections: changes when the study changes
    changed_at           timestamptz not null,
    attempted_fingerprint text,         -- the fingerprint last published or sent to review
    manifest_entry_uuid  text,         -- the current (Approved) manifest, replaced by the next
    manifest_unique_id   text,
    state                text not null default 'pending', -- pending | published | review | deprecated
    published_at         timestamptz,
    primary key (source_id, study_uid)
);
create index bridge_study_due on bridge_study (changed_at) where attempted_fingerprint is distinct from fingerprint;

create table bridge_instance (
    source_id        text not null,
    study_uid        text not null,
    sop_instance_uid text not null,
    series_uid       text not null,
    sop_class_uid    text not null,
    modality         text,
    body_part        text,
    rejected         boolean not null default false, -- referenced by an IOCM rejection note
    primary key (source_id, study_uid, sop_instance_uid),
    foreign key (source_id, study_uid) references bridge_study on delete cascade
);

create table bridge_rejection (
    source_id        text not null,
    study_uid        text not null,
    note_uid         text not null,       -- SOP Instance UID of the rejection note (KOS)
    rejected_uid     text not null,       -- a SOP Instance UID it rejects
    reason_code      text not null,       -- e.g. 113001 (DCM) Rejected for Quality Reasons
    primary key (source_id, study_uid, note_uid, rejected_uid)
);

create table bridge_report (
    source_id        text not null,
    study_uid        text not null,
    sop_instance_uid text not null,
    entry_uuid       text not null,
    primary key (source_id, sop_instance_uid)
);

create table bridge_review (
    source_id  text not null,
    study_uid  text not null,
    reason     text not null,           -- IdentityResolution.Reason
    detail     text not null,           -- never contains the BSN
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (source_id, study_uid)
);
