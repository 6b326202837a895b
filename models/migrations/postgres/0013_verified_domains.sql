-- As sqlite/0013_verified_domains.sql: a signatory's verified website domain; the Go step
-- (verifyExistingByEmail) verifies the existing rows that qualify.
ALTER TABLE signatories ADD COLUMN verified_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE signatories ADD COLUMN domain_verified_at TIMESTAMPTZ;
ALTER TABLE signatories ADD COLUMN domain_verified_by TEXT NOT NULL DEFAULT '';
