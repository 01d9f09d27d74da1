-- labourwatch evidence store, schema version 6: stores shared by many writers (PostgreSQL).

-- The extraction run that last wrote a document's items: a task retried after its worker died
-- finds its run here and writes nothing again.
ALTER TABLE documents ADD COLUMN extraction_run TEXT;
