-- The same-name flag compares names by their confusable skeleton (models.NameSkeleton, Unicode
-- TS #39), so that "Fresh Оrg" with a Cyrillic "О" is the same name as "Fresh Org". name_key
-- stays as it is, for search and sorting.
--
-- SQL cannot compute the skeleton, nor a website's registrable domain (the public suffix list),
-- so the Go step of this migration (rederivePublicFields in models/migrate.go) fills name_skeleton
-- and recomputes name_key and website_domain of every row, in the same transaction. Edits from
-- the admin console before this version stored the website's host ("blog.example.co.uk",
-- "пример.рф") where sign-up stores the registrable domain ("example.co.uk",
-- "xn--e1afmkfd.xn--p1ai"), which the duplicate-domain flag then failed to match.
ALTER TABLE signatories ADD COLUMN name_skeleton TEXT NOT NULL DEFAULT '';
CREATE INDEX signatories_name_skeleton ON signatories (name_skeleton);
