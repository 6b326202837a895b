-- As sqlite/0008_name_skeleton.sql; the Go step (rederivePublicFields) fills the column.
ALTER TABLE signatories ADD COLUMN name_skeleton TEXT NOT NULL DEFAULT '';
CREATE INDEX signatories_name_skeleton ON signatories (name_skeleton);
