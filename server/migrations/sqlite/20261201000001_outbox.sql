-- One outbox for every delivery channel (notify/outbox.rs): a row per channel and message is
-- the claim (the replica whose insert wins sends it); `claimed_at` is beaten while it works; a
-- row silent too long with no `finished_at` is taken over by another replica. Channels:
-- `webpush` (one fan-out per message; `progress` is the last subscription id handled, the four
-- counts its outcome) and `gateway:<name>` (one delivery per gateway; attempts, last error).
CREATE TABLE outbox (
    channel       TEXT    NOT NULL,
    message_id    BIGINT  NOT NULL REFERENCES cap_messages (id),
    claimed_at    BIGINT  NOT NULL,           -- Unix milliseconds of the claim or the last beat
    finished_at   BIGINT,                     -- NULL while under way
    state         TEXT    NOT NULL,           -- sending | delivered | failed
    progress      BIGINT  NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    matched       BIGINT  NOT NULL DEFAULT 0,
    delivered     BIGINT  NOT NULL DEFAULT 0,
    removed       BIGINT  NOT NULL DEFAULT 0,
    failed        BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, message_id)
);

INSERT INTO outbox (channel, message_id, claimed_at, finished_at, state, progress, matched, delivered, removed, failed)
SELECT 'webpush', message_id, claimed_at, finished_at,
       CASE WHEN finished_at IS NULL THEN 'sending' ELSE 'delivered' END,
       done_through, matched, delivered, removed, failed
FROM push_fanouts;

INSERT INTO outbox (channel, message_id, claimed_at, finished_at, state, attempts, last_error)
SELECT 'gateway:' || gateway, message_id, claimed_at,
       CASE WHEN state = 'sending' THEN NULL ELSE claimed_at END,
       state, attempts, last_error
FROM gateway_deliveries;

DROP TABLE push_fanouts;
DROP TABLE gateway_deliveries;
