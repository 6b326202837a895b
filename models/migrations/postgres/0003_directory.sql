-- The public directory, as sqlite/0003_directory.sql: a word index for search, exact counts of
-- approved signatories and the version of everything the public can see, the last two kept by
-- PL/pgSQL triggers so that every writer of signatories maintains them.

-- Word and prefix search over names: a GIN index of the words of name_key, which the application
-- already folds (models.NameKey), under the simple configuration (no stemming, no stop words). It
-- indexes an expression, so nothing needs keeping up to date by hand; queries repeat the same
-- expression (models.postgresDialect).
CREATE INDEX signatories_name_search ON signatories USING gin (to_tsvector('simple', name_key));

CREATE TABLE approved_counts (
    category TEXT NOT NULL,
    country  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (category, country)
);

CREATE FUNCTION approved_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.status = 'approved' THEN
            UPDATE approved_counts SET n = n - 1 WHERE category = OLD.category AND country = OLD.country;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.status = 'approved' THEN
            INSERT INTO approved_counts (category, country, n) VALUES (NEW.category, NEW.country, 1)
            ON CONFLICT (category, country) DO UPDATE SET n = approved_counts.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER approved_counts_track AFTER INSERT OR DELETE OR UPDATE OF status, category, country
ON signatories FOR EACH ROW EXECUTE FUNCTION approved_counts_track();

CREATE TABLE public_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    epoch   TEXT NOT NULL
);
INSERT INTO public_state (id, version, epoch) VALUES (1, 1, substr(md5(random()::text || clock_timestamp()::text), 1, 12));

-- A signatory that is, was or becomes approved, withdrawn or revoked changes what the public sees.
CREATE FUNCTION public_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    public CONSTANT TEXT[] := ARRAY['approved', 'withdrawn', 'revoked'];
    bump BOOLEAN := FALSE;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        bump := OLD.status = ANY (public);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        bump := bump OR NEW.status = ANY (public);
    END IF;
    IF bump THEN
        UPDATE public_state SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER public_state_bump AFTER INSERT OR DELETE OR UPDATE ON signatories
FOR EACH ROW EXECUTE FUNCTION public_state_bump();

CREATE INDEX signatories_status_category_country ON signatories (status, category, country, approved_at DESC, id DESC);

INSERT INTO approved_counts (category, country, n)
SELECT category, country, COUNT(*) FROM signatories WHERE status = 'approved' GROUP BY category, country;
