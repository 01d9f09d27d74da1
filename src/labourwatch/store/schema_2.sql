-- labourwatch evidence store, schema version 2: the sentences of each extraction, so that a
-- name or place mention is quoted with the sentence the pipeline saw, not a guess.

CREATE TABLE IF NOT EXISTS sentences (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (document_id, start)
) WITHOUT ROWID;
