-- As sqlite/0015_education_category.sql: the education and childcare category. PostgreSQL changes
-- the constraint in place; existing rows keep their category.
ALTER TABLE signatories DROP CONSTRAINT signatories_category_check;
ALTER TABLE signatories ADD CONSTRAINT signatories_category_check CHECK (category IN
    ('government', 'business', 'civil_society', 'education', 'academia', 'international'));

-- The home page and the filters now list one more category: pages cached by ETag must be told.
UPDATE public_state SET version = version + 1 WHERE id = 1;
