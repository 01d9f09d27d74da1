-- labourwatch evidence store, schema version 4: people review what the machine read.
-- A review never overwrites an extracted value: corrections live beside it (JSON of the
-- corrected fields), and re-extraction keeps every reviewed item and every item a person added.

ALTER TABLE claims ADD COLUMN origin TEXT NOT NULL DEFAULT 'extractor';        -- extractor | editor
ALTER TABLE claims ADD COLUMN review_state TEXT NOT NULL DEFAULT 'unreviewed'; -- unreviewed | accepted | corrected | rejected
ALTER TABLE claims ADD COLUMN reviewed_by TEXT;
ALTER TABLE claims ADD COLUMN reviewed_at TEXT;
ALTER TABLE claims ADD COLUMN corrected TEXT;                                  -- JSON: the corrected fields only
CREATE INDEX IF NOT EXISTS claims_review ON claims(review_state);
-- Claims are listed by date: pages of them are read from these two indexes without a sort.
CREATE INDEX IF NOT EXISTS documents_published ON documents(published, id);
CREATE INDEX IF NOT EXISTS claims_document_start ON claims(document_id, start);
-- The few corrected claims, found without a scan when a filter must read their corrections.
CREATE INDEX IF NOT EXISTS claims_corrected ON claims(id) WHERE corrected IS NOT NULL;

ALTER TABLE indicators ADD COLUMN origin TEXT NOT NULL DEFAULT 'extractor';
ALTER TABLE indicators ADD COLUMN review_state TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE indicators ADD COLUMN reviewed_by TEXT;
ALTER TABLE indicators ADD COLUMN reviewed_at TEXT;
ALTER TABLE indicators ADD COLUMN corrected TEXT;

ALTER TABLE mentions ADD COLUMN origin TEXT NOT NULL DEFAULT 'extractor';
ALTER TABLE mentions ADD COLUMN review_state TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE mentions ADD COLUMN reviewed_by TEXT;
ALTER TABLE mentions ADD COLUMN reviewed_at TEXT;
ALTER TABLE mentions ADD COLUMN corrected TEXT;

-- Who did what: the audit log names the user (NULL for the command line's local user).
ALTER TABLE audit ADD COLUMN "user" TEXT;

CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,                 -- argon2id
    created_at    TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1
);

-- Browser sessions and API tokens: only their SHA-256 is stored, never the secret.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT,
    created_at  TEXT NOT NULL
);
