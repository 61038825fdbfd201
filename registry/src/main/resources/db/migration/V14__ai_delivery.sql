-- AI platform delivery (issue 7, part C): bulk exports of a cohort to its platform, durable and resumable, and the
-- first release of each study to each platform (the FHIR Provenance). Only pseudonymous study UIDs leave; the
-- original study UID and the BSN are kept here to re-check consent and to withdraw a patient's files.
create table ai_export (
    id          uuid         primary key,
    cohort_id   uuid         not null,
    platform    varchar(8)   not null,                 -- URA of the AI platform that asked for it (the only reader)
    state       varchar(8)   not null check (state in ('queued', 'running', 'done', 'failed')),
    worker      varchar(64),
    lease_until timestamptz,
    reason      text,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now(),
    finished_at timestamptz
);
create index ai_export_open on ai_export (created_at) where state in ('queued', 'running');

-- one row per cohort member, in cohort order; 'withdrawn' = the patient's AI consent no longer permits it (its file is
-- deleted, it is counted nowhere and never written again by this export)
create table ai_export_study (
    export_id        uuid         not null references ai_export (id) on delete cascade,
    position         integer      not null,
    study_uid        varchar(64)  not null,
    pseudo_study_uid varchar(64)  not null,
    bsn              varchar(9)   not null,
    holder           varchar(8),
    state            varchar(9)   not null default 'pending' check (state in ('pending', 'written', 'withdrawn')),
    file_name        varchar(80),
    size             bigint,
    sha256           char(64),
    files            text,                             -- JSON array of the ZIP's Part 10 files (pseudonymous UIDs only)
    written_at       timestamptz,
    primary key (export_id, position),
    unique (export_id, pseudo_study_uid)
);
create index ai_export_study_patient on ai_export_study (export_id, bsn);

-- the first release of a study to a platform (WADO-RS or export): one FHIR Provenance each
create table ai_provenance (
    id               uuid         primary key,
    platform         varchar(8)   not null,
    pseudo_study_uid varchar(64)  not null,
    channel          varchar(16)  not null check (channel in ('wado-rs', 'export')),
    recorded         timestamptz  not null,
    unique (platform, pseudo_study_uid)
);
