-- Facts about this installation (key/value). Same schema as migrations/postgres.
CREATE TABLE instance_facts (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
