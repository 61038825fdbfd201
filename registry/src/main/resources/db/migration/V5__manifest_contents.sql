-- What a KOS manifest's content says about its study: how many series and instances it references,
-- read from the bytes at ITI-41 (nl.beeldbrug.registry.imaging.ManifestContentReader, implemented in the
-- gateway with adapters/dicom's KOS parser). Null means unknown: not a manifest, not readable, registered
-- without content (ITI-42), or stored before V5. No backfill: adding nullable columns without a default
-- is a catalogue change only, instant on any number of rows.
alter table document_content
    add column series_count       integer,
    add column instance_count     integer,
    add column series_uids        text[],     -- the referenced series of the manifest's study, in order
    add column series_instances   integer[];  -- instances referenced per series, same order
