-- labourwatch evidence store, schema version 8: whose workers a figure counts, and copies of
-- one story counted once.

-- The nationality of the workers a claim counts (ISO 3166 code), as the text says it; null
-- where it never does.
ALTER TABLE claims ADD COLUMN nationality TEXT;

-- The document this one is a near-copy of (a syndicated wire story): the first stored of
-- them. Figures count a copy's claims once, through the document it copies.
ALTER TABLE documents ADD COLUMN duplicate_of TEXT REFERENCES documents(id) ON DELETE SET NULL;

-- Each document's MinHash signature (ingest/neardup.py), and its band keys, which find the
-- candidates for a near-copy without comparing every pair.
CREATE TABLE IF NOT EXISTS signatures (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    minhash     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signature_bands (
    band        TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, document_id)
);
CREATE INDEX IF NOT EXISTS documents_duplicate_of ON documents(duplicate_of);

-- A store's settings: what it is about (the sending state whose workers its figures count).
CREATE TABLE IF NOT EXISTS settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
