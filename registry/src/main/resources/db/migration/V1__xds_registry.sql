-- The national index: XDS registry objects, associations, repository content, patients, audit.
-- Each registry object is stored once as the IPF simplified model in JSON (metadata), with the
-- attributes the stored queries select on copied into indexed columns.

create table patient (
    bsn          varchar(9) primary key,
    created_at   timestamptz not null default now()
);

create table registry_object (
    entry_uuid           varchar(64)  primary key,
    object_type          varchar(16)  not null check (object_type in ('DocumentEntry','SubmissionSet','Folder')),
    unique_id            varchar(128) not null,
    logical_id           varchar(64)  not null,
    version              integer      not null default 1,
    patient_bsn          varchar(9)   not null,
    status               varchar(16)  not null check (status in ('Approved','Deprecated','Submitted')),
    entry_type           varchar(16),           -- DocumentEntry: stable / on-demand
    source_patient_id    varchar(128),
    hash                 varchar(64),
    size                 bigint,
    repository_unique_id varchar(128),
    metadata             jsonb        not null,
    inserted_at          timestamptz  not null default now()
);
create index registry_object_patient on registry_object (patient_bsn, object_type, status);
create index registry_object_unique on registry_object (unique_id, object_type);
create index registry_object_logical on registry_object (logical_id);
create index registry_object_source_patient on registry_object (source_patient_id) where source_patient_id is not null;

create table association (
    entry_uuid        varchar(64) primary key,
    association_type  varchar(32) not null,
    source_uuid       varchar(64) not null,
    target_uuid       varchar(64) not null,
    status            varchar(16) not null,
    metadata          jsonb       not null,
    inserted_at       timestamptz not null default now()
);
create index association_source on association (source_uuid);
create index association_target on association (target_uuid);

create table document_content (
    repository_unique_id varchar(128) not null,
    document_unique_id   varchar(128) not null,
    mime_type            varchar(128) not null,
    hash                 varchar(64)  not null,
    size                 bigint       not null,
    content              bytea        not null,
    inserted_at          timestamptz  not null default now(),
    primary key (repository_unique_id, document_unique_id)
);

-- NEN 7513 / ATNA: every access, permitted or denied. Append-only; each row chains the hash of the
-- previous one so that tampering is evident.
create table audit_event (
    id            bigserial primary key,
    recorded_at   timestamptz  not null default now(),
    event_id      varchar(64)  not null,
    event_type    varchar(128),
    outcome       varchar(8)   not null,
    patient_ids   text[]       not null default '{}',
    message       text         not null,
    prev_hash     varchar(64)  not null,
    hash          varchar(64)  not null
);
create index audit_event_recorded on audit_event (recorded_at);
create index audit_event_patient on audit_event using gin (patient_ids);
