-- As sqlite/0010_languages.sql.
ALTER TABLE signatories ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE admins ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
