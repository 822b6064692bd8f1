-- Facts about this installation (key/value). Same schema as migrations/sqlite.
CREATE TABLE instance_facts (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
