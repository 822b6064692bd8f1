-- Deliveries of warnings to operator gateways (SMS, WeChat, broadcast webhooks). One row per
-- gateway and message: the replica that inserts it delivers it, so several replicas never send
-- the same warning twice; the state says how it went.
CREATE TABLE gateway_deliveries (
    gateway       TEXT    NOT NULL,
    message_id    BIGINT  NOT NULL REFERENCES cap_messages (id),
    claimed_at    BIGINT  NOT NULL,          -- Unix milliseconds
    state         TEXT    NOT NULL,          -- sending | delivered | failed
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    PRIMARY KEY (gateway, message_id)
);
