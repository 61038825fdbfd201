-- PACS bridge, patient identity at the edge (issue 8 point 5, strategy XREF): which BSN belongs to a local
-- patient id of a connected archive's domain. Fed by the ITI-8 Patient Identity Feed (ADT A01/A04/A05/A08
-- link or unlink, A40 moves the prior id's row to the surviving id). Only valid BSNs (elfproef) are stored.
create table patient_xref (
    local_domain  varchar(64)  not null,   -- assigning authority OID of the local id (CX-4.2)
    local_id      varchar(128) not null,   -- the archive's patient id (CX-1)
    bsn           varchar(9)   not null,   -- the BSN the feed gave for it
    event         varchar(8)   not null,   -- the ADT event that last wrote the row (A01, A04, A05, A08, A40)
    updated_at    timestamptz  not null,
    primary key (local_domain, local_id)
);
create index patient_xref_bsn on patient_xref (bsn);
