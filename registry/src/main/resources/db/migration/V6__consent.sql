-- Patient consents (FHIR R4 Consent, scope patient-privacy, category LOINC 59284-0). A consent is never
-- deleted or changed in place: revocation is a status change with a new version, and every change is
-- kept in consent_event. Provisions are stored as rows with array columns, so they can be queried
-- ("which consents name this study / this organisation") and map one-to-one to Consent.provision.
-- (V5 is reserved for another change; Flyway applies versions in order, gaps are allowed.)

create table consent (
    id           varchar(64)  primary key,            -- Consent.id
    patient_bsn  varchar(9)   not null,               -- Consent.patient (BSN); the patient need not have studies yet
    status       varchar(16)  not null check (status in ('active','inactive','revoked')),
    date_time    timestamptz  not null,               -- Consent.dateTime (when it was given)
    version      integer      not null default 1,     -- meta.versionId; +1 on every status change
    recorded_at  timestamptz  not null default now(),
    updated_at   timestamptz  not null default now()
);
create index consent_patient on consent (patient_bsn, status);

create table consent_provision (
    consent_id       varchar(64) not null references consent (id),
    ordinal          integer     not null,            -- position among Consent.provision.provision
    type             varchar(8)  not null check (type in ('permit','deny')),
    period_start     timestamptz,                     -- provision.period.start (inclusive), null: open
    period_end       timestamptz,                     -- provision.period.end (exclusive), null: open
    actor_uras       text[]      not null default '{}', -- provision.actor: organisations by URA
    actor_org_types  text[]      not null default '{}', -- provision.actor: organisation types
    purposes         text[]      not null default '{}', -- provision.purpose (TREAT, COC, HRESCH, AI)
    data_classes     text[]      not null default '{}', -- provision.class (IMAGING_STUDY, REPORT)
    study_uids       text[]      not null default '{}', -- provision.data: specific studies
    primary key (consent_id, ordinal),
    check (period_start is null or period_end is null or period_end >= period_start)
);
create index consent_provision_study on consent_provision using gin (study_uids);
create index consent_provision_actor on consent_provision using gin (actor_uras);

create table consent_event (
    id           bigserial    primary key,
    consent_id   varchar(64)  not null references consent (id),
    version      integer      not null,
    status       varchar(16)  not null,
    event        varchar(16)  not null check (event in ('created','revoked')),
    reason       text,
    recorded_at  timestamptz  not null
);
create index consent_event_consent on consent_event (consent_id, id);
