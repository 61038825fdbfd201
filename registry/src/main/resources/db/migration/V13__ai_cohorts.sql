-- AI platform release (issue 7): the cohorts AI platforms requested, with their criteria, and every study that
-- matched them for a consenting patient: INCLUDED (released under the platform's pseudonyms) or EXCLUDED by the
-- validation gate with a reason. Patients without an AI consent for the platform are never stored here.
create table ai_cohort (
    id          uuid         primary key,
    platform    varchar(8)   not null,      -- URA of the AI platform
    modalities  text[]       not null,
    body_region varchar(64),
    date_from   date,
    date_to     date,
    sources     text[]       not null,      -- URAs of the data holders asked for (empty: any)
    max_count   integer      not null,
    created_at  timestamptz  not null
);
create index ai_cohort_platform on ai_cohort (platform, created_at);

create table ai_cohort_study (
    cohort_id         uuid         not null references ai_cohort (id) on delete cascade,
    position          integer      not null,          -- order of selection (newest study first)
    platform          varchar(8)   not null,          -- copy of ai_cohort.platform, for the member lookup
    study_uid         varchar(64)  not null,          -- original Study Instance UID (never shown to the platform)
    pseudo_study_uid  varchar(64)  not null,          -- the platform's pseudonymous Study Instance UID
    status            varchar(8)   not null check (status in ('INCLUDED', 'EXCLUDED')),
    patient_bsn       varchar(9),                     -- INCLUDED only: for the consent re-check at delivery
    patient_pseudonym varchar(64),                    -- INCLUDED only
    holder            varchar(8),                     -- URA of the data holder, when known
    reason_code       varchar(32),                    -- EXCLUDED only
    reason_detail     varchar(512),                   -- EXCLUDED only; never patient data
    primary key (cohort_id, position),
    check ((status = 'INCLUDED') = (reason_code is null))
);
create index ai_cohort_study_member on ai_cohort_study (platform, pseudo_study_uid) where status = 'INCLUDED';
create index ai_cohort_study_study on ai_cohort_study (study_uid);
