-- Prefetch of priors (issue 5 point 4): the orders taken, one row per order of a hospital (its bridge source id and
-- the placer order number, ORC-2 / ServiceRequest identifier), so that a repeated order creates no second set of
-- import jobs; and the import jobs each order started, to measure the prefetch lead time when they end.
create table prefetch_order (
    source        varchar(64)  not null,   -- beeldbrug.bridge.sources[].id of the hospital (the import target)
    placer_order  varchar(128) not null,   -- placer order number as the hospital sent it
    planned_at    timestamptz  not null,   -- when the exam is planned (the order's scheduled time)
    received_at   timestamptz  not null default now(),
    primary key (source, placer_order)
);

create table prefetch_job (
    source         varchar(64)  not null,
    placer_order   varchar(128) not null,
    import_job_id  bigint       not null references import_job (id),
    measured_at    timestamptz,            -- when the job's end was counted (null: not ended, or not yet counted)
    primary key (source, placer_order, import_job_id),
    foreign key (source, placer_order) references prefetch_order (source, placer_order) on delete cascade
);
create index prefetch_job_open on prefetch_job (import_job_id) where measured_at is null;
