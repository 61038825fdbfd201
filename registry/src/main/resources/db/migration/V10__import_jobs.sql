-- Import jobs ("overnemen", issue 8): retrieve a registered study from the archive that holds it and store it
-- into a named local PACS. Durable so that a job survives a restart; claimed by a worker with
-- SELECT ... FOR UPDATE SKIP LOCKED and held by a lease the worker renews, so that several gateway processes can
-- work side by side and a crashed worker's job is taken over once its lease has run out.
create table import_job (
    id                 bigserial    primary key,
    study_instance_uid varchar(64)  not null,
    target             varchar(64)  not null,            -- beeldbrug.bridge.sources[].id of the receiving PACS
    state              varchar(8)   not null check (state in ('queued', 'running', 'done', 'failed')),
    requested_by       varchar(64),                       -- URA of the requesting organisation (or a rule's name)
    attempts           integer      not null default 0,
    next_attempt_at    timestamptz  not null default now(),
    lease_until        timestamptz,
    worker             varchar(64),
    instances_total    integer,                           -- null until the source's instances are counted
    instances_done     integer      not null default 0,  -- present in the target (stored now or before)
    instances_skipped  integer      not null default 0,  -- of those, already present before this job stored them
    reason             text,                              -- why it failed, or why the last attempt failed
    created_at         timestamptz  not null default now(),
    updated_at         timestamptz  not null default now(),
    finished_at        timestamptz
);
create index import_job_due on import_job (next_attempt_at) where state in ('queued', 'running');
create index import_job_state on import_job (state, id);
-- one open job per study and target: asking again returns the open one
create unique index import_job_open on import_job (study_instance_uid, target) where state in ('queued', 'running');
