-- The language each person reads the site in, by its code ('en', 'ru'): a signatory's contact
-- gets its emails in the language of the page it signed on (changeable on its manage page); an
-- administrator works in the console, and gets notifications, in theirs.
ALTER TABLE signatories ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE admins ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
