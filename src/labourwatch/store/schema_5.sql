-- labourwatch evidence store, schema version 5: web captures and text read by OCR.

-- A page fetched by URL: the HTTP exchange as WARC records (request and response, each a gzip
-- member, so that captures concatenate into a standard .warc.gz), kept apart from the payload
-- (the document's original). A document may be captured more than once.
CREATE TABLE IF NOT EXISTS captures (
    id           INTEGER PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    url          TEXT NOT NULL,              -- as asked for
    final_url    TEXT NOT NULL,              -- after redirects
    redirects    TEXT NOT NULL,              -- JSON: [[status, url], ...] of each hop
    status       INTEGER NOT NULL,           -- HTTP status of the final response
    captured_at  TEXT NOT NULL,              -- UTC, ISO 8601
    warc         BLOB NOT NULL,              -- the WARC records, gzip members
    warc_sha256  TEXT NOT NULL               -- SHA-256 of the warc column: verify checks it
);
CREATE INDEX IF NOT EXISTS captures_document ON captures(document_id);

-- Where the working text came from: the file's own text, or OCR of its page images.
ALTER TABLE documents ADD COLUMN text_origin TEXT NOT NULL DEFAULT 'text';  -- text | ocr
ALTER TABLE documents ADD COLUMN ocr_confidence REAL;                       -- mean word confidence, 0-100
-- Where the publication date came from: metadata (the page's, the feed's, the e-mail's) or a
-- dateline in the opening lines; never a file's own creation time.
ALTER TABLE documents ADD COLUMN published_source TEXT;                     -- metadata | dateline
