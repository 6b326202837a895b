-- As sqlite/0002_outbox_signatory.sql.
ALTER TABLE outbox ADD COLUMN signatory_id BIGINT REFERENCES signatories (id) ON DELETE SET NULL;
CREATE INDEX outbox_signatory ON outbox (signatory_id);
