-- Store-and-forward of the audit trail to the ATNA audit repository (syslog over TLS, RFC 5425):
-- the audit_event rows stay the source of truth and are never updated; this cursor says up to which
-- audit_event.id a destination has been sent (written to its TLS connection and flushed).
create table audit_forward_cursor (
    destination    varchar(64)  primary key,
    last_event_id  bigint       not null default 0,
    updated_at     timestamptz  not null default now()
);
