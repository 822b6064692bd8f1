-- The register of emergency shelters (应急避难场所) and each one's state as volunteers report
-- it. A shelter's record is its stored form (JSON, `format` versioned; see
-- server/src/shelters/store.rs); the columns beside it are what lists and maps query.
CREATE TABLE shelters (
    id          TEXT    PRIMARY KEY,  -- the register's own id: imports are idempotent on it
    format      BIGINT  NOT NULL,     -- version of the stored form in `record`
    record      TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    division    TEXT    NOT NULL,     -- 12-digit division code
    lat         DOUBLE PRECISION NOT NULL,  -- WGS-84
    lon         DOUBLE PRECISION NOT NULL,
    sample      BIGINT  NOT NULL,     -- 1: sample data, not the bureau's register
    imported_at BIGINT  NOT NULL      -- Unix milliseconds
);
CREATE INDEX shelters_by_division ON shelters (division);

-- The last report of each shelter's state (none: unknown). History is in the staff audit log.
CREATE TABLE shelter_status (
    shelter_id  TEXT    PRIMARY KEY REFERENCES shelters (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,     -- open | full | closed | unknown
    occupancy   BIGINT,               -- persons in it, when counted
    updated_at  BIGINT  NOT NULL,     -- Unix milliseconds
    updated_by  TEXT    NOT NULL      -- the volunteer's login name, or `import` / `demo`
);
