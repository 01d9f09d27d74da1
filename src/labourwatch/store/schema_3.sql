-- labourwatch evidence store, schema version 3: a hash of each working text, so that `verify`
-- can tell a text edited after ingest from the one read from the original.

ALTER TABLE documents ADD COLUMN text_sha256 TEXT;
UPDATE documents SET text_sha256 = sha256_text(text);
