-- labourwatch evidence store, schema version 1.
-- Plain tables, readable with any SQLite or PostgreSQL tool. Offsets index documents.text (Python
-- str indices). Written once for both backends: PostgreSQL maps the storage types (store/postgres.py).

CREATE TABLE IF NOT EXISTS documents (
    id            TEXT PRIMARY KEY,          -- SHA-256 hex of the original bytes
    title         TEXT,
    published     TEXT,                      -- YYYY-MM-DD, YYYY-MM or YYYY
    media_type    TEXT NOT NULL,             -- text/plain, text/html, application/pdf, ...
    size          INTEGER NOT NULL,          -- bytes of the original
    text          TEXT NOT NULL,             -- the working copy: extracted text
    status        TEXT NOT NULL DEFAULT 'ok',-- ok | needs_ocr
    publisher     TEXT,                      -- e.g. JSONL "source" field
    ingested_at   TEXT NOT NULL,
    tool_version  TEXT NOT NULL,
    extracted_at  TEXT,
    pipeline_version TEXT
);
-- The order documents were stored in (SQLite's rowid; a column where a database has none).
-- @insertion-order documents

-- The evidence copy: original bytes, untouched, apart from the working text.
CREATE TABLE IF NOT EXISTS originals (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content     BLOB NOT NULL
);

-- Every place a document was seen: a path, a JSONL line, a URL.
CREATE TABLE IF NOT EXISTS sources (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    location    TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- file | jsonl | url
    ingested_at TEXT NOT NULL,
    UNIQUE (document_id, location)
);

CREATE TABLE IF NOT EXISTS claims (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    mention     TEXT NOT NULL,
    quote       TEXT NOT NULL,
    quote_start INTEGER NOT NULL,
    variable    TEXT NOT NULL,
    low         REAL,
    high        REAL,
    unit        TEXT,
    per         TEXT,
    qualifier   TEXT,
    source      TEXT,
    place       TEXT,
    year        INTEGER                      -- a year stated in the claim's sentence, if any
);
CREATE INDEX IF NOT EXISTS claims_document ON claims(document_id);
CREATE INDEX IF NOT EXISTS claims_variable ON claims(variable, place);

CREATE TABLE IF NOT EXISTS indicators (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    indicator   TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    quote       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS indicators_document ON indicators(document_id);

-- Places, organisations, people and sectors: one row per mention.
CREATE TABLE IF NOT EXISTS mentions (
    id          INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,               -- place | organisation | person | sector
    name        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    place_kind  TEXT,                        -- country | region | city | site (places only)
    country     TEXT,
    lat         REAL,
    lon         REAL
);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);
CREATE INDEX IF NOT EXISTS mentions_kind ON mentions(kind, name);

-- Append-only log of what was done to the store.
CREATE TABLE IF NOT EXISTS audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    action       TEXT NOT NULL,              -- ingest | extract | delete | migrate
    document_id  TEXT,
    detail       TEXT,
    tool_version TEXT NOT NULL
);
-- Enforced by the database (triggers that refuse UPDATE and DELETE), not only by labourwatch.
-- @append-only audit
