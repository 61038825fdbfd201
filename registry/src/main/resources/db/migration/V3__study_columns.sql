-- The imaging study index (FHIR ImagingStudy, the patient timeline) is a view of the DocumentEntry
-- rows: KOS manifests and reports that share a Study Instance UID in their referenceIdList. These
-- columns are copied from the entry's metadata at registration (nl.beeldbrug.registry.imaging.StudyAttributes);
-- V4 fills them for rows registered before.
alter table registry_object
    add column study_instance_uid varchar(128),
    add column accession_numbers  text[],       -- each accession as "value" and, when issued, "urn:oid:<issuer>|value"
    add column modalities         text[],       -- DICOM modality codes (DCM, 1.2.840.10008.2.16.4) of the eventCodeList
    add column body_sites         text[],       -- SNOMED CT codes (2.16.840.1.113883.6.96) of the eventCodeList
    add column service_start      timestamptz,
    add column study_role         varchar(8) check (study_role in ('manifest','report'));

create index registry_object_study on registry_object (study_instance_uid, patient_bsn)
    where study_instance_uid is not null;
create index registry_object_patient_studies on registry_object (patient_bsn, service_start desc)
    where study_instance_uid is not null and object_type = 'DocumentEntry';
create index registry_object_accession on registry_object using gin (accession_numbers)
    where accession_numbers is not null;
