-- Verified domains (issue 14). A signatory's website domain is verified when its contact
-- confirmed an email address at that registrable domain (domain_verified_by 'email'), or when the
-- site found the signatory's token at https://DOMAIN/.well-known/charter-verification.txt
-- ('file'). verified_domain is '' (not verified) or the website_domain it was verified for; an
-- edit of the website that no longer matches clears it (models/domain.go). A change of these
-- columns on a signatory with a public page bumps public_state through the triggers of 0003, so
-- the cached public pages show it at once.
--
-- SQL cannot compute the registrable domain of an email address (the public suffix list), so the
-- Go step of this migration (verifyExistingByEmail in models/domain.go) verifies the signatories
-- that already qualify, as of their confirmation, in the same transaction.
ALTER TABLE signatories ADD COLUMN verified_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE signatories ADD COLUMN domain_verified_at DATETIME;
-- '' while not verified, else 'email' or 'file' (models.DomainMethod). No CHECK: SQLite would
-- test a CHECK added by ALTER TABLE against every existing row, 10 s at a million signatories.
ALTER TABLE signatories ADD COLUMN domain_verified_by TEXT NOT NULL DEFAULT '';
