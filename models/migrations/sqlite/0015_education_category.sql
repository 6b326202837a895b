-- A stakeholder category for education and childcare (issue 18): schools, kindergartens, colleges
-- and children's centres, apart from academia and research. Existing rows keep their category.
--
-- The category is a CHECK constraint of signatories (0001), and SQLite cannot change a constraint
-- in place: the Go step of this migration (addEducationCategory in models/rebuild.go) rebuilds the
-- table by SQLite's twelve steps, with foreign keys off, keeping every row, id, index and trigger
-- (the search, count and public state triggers of 0003 included). A database that can alter a
-- constraint does it in one statement instead:
--   ALTER TABLE signatories DROP CONSTRAINT …, ADD CONSTRAINT … CHECK (category IN (…, 'education', …))

-- The home page and the filters now list one more category: pages cached by ETag must be told.
UPDATE public_state SET version = version + 1 WHERE id = 1;
