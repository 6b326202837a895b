-- Which signatory an outgoing message is about, so that purging an application that was never
-- confirmed also deletes the mail that holds its contact's address. Mail to administrators and
-- mail not about one signatory has NULL here.
ALTER TABLE outbox ADD COLUMN signatory_id INTEGER REFERENCES signatories (id) ON DELETE SET NULL;
CREATE INDEX outbox_signatory ON outbox (signatory_id);
