-- Fills the study columns of V3 for DocumentEntries registered before, from their stored metadata
-- (IPF model JSON). Same rules as nl.beeldbrug.registry.imaging.StudyAttributes (a test compares them).
update registry_object r set
    study_instance_uid = (select ref->>'id' from jsonb_array_elements(coalesce(r.metadata->'referenceIdList', '[]'::jsonb)) with ordinality as x(ref, n)
                          where ref->>'idTypeCode' = 'urn:ihe:iti:xds:2016:studyInstanceUID' and coalesce(ref->>'id', '') <> ''
                          order by n limit 1),
    accession_numbers = (select array_agg(k order by n, kn) from (
                           select x.n, 1 as kn, ref->>'id' as k
                             from jsonb_array_elements(coalesce(r.metadata->'referenceIdList', '[]'::jsonb)) with ordinality as x(ref, n)
                            where ref->>'idTypeCode' = 'urn:ihe:iti:xds:2013:accession' and coalesce(ref->>'id', '') <> ''
                           union all
                           select x.n, 2, 'urn:oid:' || (ref->'assigningAuthority'->>'universalId') || '|' || (ref->>'id')
                             from jsonb_array_elements(coalesce(r.metadata->'referenceIdList', '[]'::jsonb)) with ordinality as x(ref, n)
                            where ref->>'idTypeCode' = 'urn:ihe:iti:xds:2013:accession' and coalesce(ref->>'id', '') <> ''
                              and coalesce(ref->'assigningAuthority'->>'universalId', '') <> '') a),
    modalities = (select array_agg(distinct (c->>'code') collate "C") from jsonb_array_elements(coalesce(r.metadata->'eventCode', '[]'::jsonb)) c
                  where c->>'codeSystemName' = '1.2.840.10008.2.16.4' and coalesce(c->>'code', '') <> ''),
    body_sites = (select array_agg(distinct (c->>'code') collate "C") from jsonb_array_elements(coalesce(r.metadata->'eventCode', '[]'::jsonb)) c
                  where c->>'codeSystemName' = '2.16.840.1.113883.6.96' and coalesce(c->>'code', '') <> ''),
    service_start = (r.metadata->'serviceStartTime'->>'dateTime')::timestamptz,
    study_role = case when r.metadata->'formatCode'->>'code' like '%1.2.840.10008.5.1.4.1.1.88.59' then 'manifest' else 'report' end
where r.object_type = 'DocumentEntry' and r.study_instance_uid is null;

-- the study columns only matter for entries that belong to a study
update registry_object set accession_numbers = null, modalities = null, body_sites = null, service_start = null, study_role = null
where object_type = 'DocumentEntry' and study_instance_uid is null;
