-- As sqlite/0011_public_log.sql: the public log's entries and tree hashes, append-only, enforced
-- by the database; a new entry bumps public_state.
CREATE TABLE log_entries (
    idx          BIGINT PRIMARY KEY CHECK (idx >= 0),
    created_at   TIMESTAMPTZ NOT NULL,
    signatory_id BIGINT NOT NULL,
    event        TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX log_entries_signatory ON log_entries (signatory_id, idx);

CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY CHECK (idx >= 0),
    hash BYTEA NOT NULL CHECK (length(hash) = 32)
);

CREATE FUNCTION public_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the public log is append-only';
END
$$;
CREATE TRIGGER log_entries_no_change BEFORE UPDATE OR DELETE ON log_entries
FOR EACH ROW EXECUTE FUNCTION public_log_append_only();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
FOR EACH STATEMENT EXECUTE FUNCTION public_log_append_only();
CREATE TRIGGER log_hashes_no_change BEFORE UPDATE OR DELETE ON log_hashes
FOR EACH ROW EXECUTE FUNCTION public_log_append_only();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes
FOR EACH STATEMENT EXECUTE FUNCTION public_log_append_only();

-- A trigger function that bumps public_state whatever the row (also used by 0012).
CREATE FUNCTION public_state_bump_always() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER log_entries_public_state AFTER INSERT ON log_entries
FOR EACH ROW EXECUTE FUNCTION public_state_bump_always();
