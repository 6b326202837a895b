-- As sqlite/0018_open_email_unique.sql: at most one open application per contact email.
CREATE UNIQUE INDEX signatories_open_email ON signatories (contact_email)
    WHERE status IN ('submitted', 'pending');
