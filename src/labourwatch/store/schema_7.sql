-- labourwatch evidence store, schema version 7: population estimates kept with their inputs.

-- One estimate as it was made: the capture histories it read (JSON {"lists": [...],
-- "histories": {"101": 12, ...}}), where they came from (a file and its SHA-256, or the
-- store's own mentions grouped into lists), the method and its settings, and the result
-- as `estimate mse --json` prints it (with the sensitivity to the linkage threshold, if any).
CREATE TABLE IF NOT EXISTS estimates (
    id          INTEGER PRIMARY KEY,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    method      TEXT NOT NULL,
    origin      TEXT NOT NULL,               -- JSON: {"file": ..., "sha256": ...} or {"store": ...}
    inputs      TEXT NOT NULL,               -- JSON: lists and capture histories
    result      TEXT NOT NULL,               -- JSON: as estimate mse --json
    "user"      TEXT
);
