-- NEN 7513 "who, on whose behalf, why" as columns of the audit trail, read from the stamped ATNA message at
-- append time: the requesting organisation (URA), the user, the purpose of use. Rows written from here on are
-- chain_version 2: their hash also covers recorded_at and these columns; older rows (chain_version 1) keep
-- the hash they were written with, so the chain verifies across the upgrade. Outcome is the existing column.
alter table audit_event add column organisation  varchar(16);
alter table audit_event add column user_id       varchar(256);
alter table audit_event add column purpose       varchar(16);
alter table audit_event add column chain_version smallint not null default 1;
-- privacy officer searches: per organisation over a period (recorded_at has its own index since V1)
create index audit_event_organisation on audit_event (organisation, recorded_at);
