-- ATNA EventOutcomeIndicator names ("SeriousFailure", "MajorFailure") are longer than 8 characters.
alter table audit_event alter column outcome type varchar(16);
