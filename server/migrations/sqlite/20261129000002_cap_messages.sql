-- Every CAP message received, raw bytes first (nothing received is ever lost), and the
-- identity of accepted ones (one row per sender/identifier/sent: no duplicates).
CREATE TABLE cap_messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source        TEXT    NOT NULL,
    received_at   BIGINT  NOT NULL,          -- Unix milliseconds
    raw           BLOB    NOT NULL,
    raw_sha256    TEXT    NOT NULL,
    state         TEXT    NOT NULL,          -- received | accepted | quarantined | duplicate
    reason        TEXT,                      -- why quarantined
    alert_json    TEXT,                      -- the parsed message (domain model as JSON)
    sent_at       BIGINT,                    -- Unix milliseconds of alert/sent
    status        TEXT,
    msg_type      TEXT,
    duplicate_of  BIGINT REFERENCES cap_messages (id)
);
CREATE INDEX cap_messages_state ON cap_messages (state, id);
CREATE INDEX cap_messages_sha ON cap_messages (raw_sha256);

CREATE TABLE cap_identities (
    message_id    BIGINT  NOT NULL PRIMARY KEY REFERENCES cap_messages (id),
    sender        TEXT    NOT NULL,
    identifier    TEXT    NOT NULL,
    sent_at       BIGINT  NOT NULL,          -- Unix milliseconds: one instant, however written
    UNIQUE (sender, identifier, sent_at)
);
