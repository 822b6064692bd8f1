-- Web Push subscriptions of residents' browsers. A row holds what a push needs (the push
-- service endpoint and the browser's public key and auth secret) and what targeting needs, in
-- coarse form only: the saved places as division codes or 0.01° cells (the places cookie's
-- form), the levels that notify, the language. Never an exact position, never a name.
CREATE TABLE push_subscriptions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token         TEXT    NOT NULL UNIQUE,   -- random; the browser's HttpOnly cookie names its row
    endpoint      TEXT    NOT NULL UNIQUE,
    p256dh        TEXT    NOT NULL,          -- base64url, 65-byte P-256 point
    auth          TEXT    NOT NULL,          -- base64url, 16 bytes
    places        TEXT    NOT NULL,          -- e.g. 360202001~p29.30_117.20
    levels        TEXT    NOT NULL,          -- e.g. red,orange
    lang          TEXT    NOT NULL,          -- zh-CN | en
    created_at    BIGINT  NOT NULL,          -- Unix milliseconds
    updated_at    BIGINT  NOT NULL,
    last_test_at  BIGINT                     -- the last "send me a test notification"
);

-- One row per accepted message whose notifications were sent: the replica whose insert wins
-- fans the message out, so with several replicas each device is notified once. While it runs
-- it beats `claimed_at` after every page of subscriptions and records how far it got; a fan-out
-- whose replica died (no beat for minutes) is taken over by another and resumed from there.
CREATE TABLE push_fanouts (
    message_id    BIGINT  NOT NULL PRIMARY KEY REFERENCES cap_messages (id),
    claimed_at    BIGINT  NOT NULL,          -- Unix milliseconds of the claim or the last beat
    done_through  BIGINT  NOT NULL DEFAULT 0, -- every subscription id up to this one was handled
    finished_at   BIGINT,
    matched       BIGINT  NOT NULL DEFAULT 0,
    delivered     BIGINT  NOT NULL DEFAULT 0,
    removed       BIGINT  NOT NULL DEFAULT 0, -- gone (404/410): the subscription was deleted
    failed        BIGINT  NOT NULL DEFAULT 0
);
