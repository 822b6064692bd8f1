-- Staff accounts, their sessions, failed sign-ins (for throttling) and the audit log.
-- Residents never have a row here.
CREATE TABLE staff_users (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    name                  TEXT    NOT NULL UNIQUE,  -- login name, lower case
    display_name          TEXT    NOT NULL,
    roles                 TEXT    NOT NULL,         -- e.g. publisher,approver
    password_hash         TEXT    NOT NULL,         -- argon2id PHC string
    must_change_password  BIGINT  NOT NULL,         -- 1: a new or reset account
    totp_secret           TEXT,                     -- base32; NULL until a second factor is set up
    totp_last_step        BIGINT,                   -- the last time step accepted (no replay)
    disabled              BIGINT  NOT NULL DEFAULT 0,
    created_at            BIGINT  NOT NULL,         -- Unix milliseconds
    updated_at            BIGINT  NOT NULL
);

-- One-time recovery codes for a lost authenticator: SHA-256 of the code (codes are random,
-- 50 bits, so a fast hash suffices), used at most once.
CREATE TABLE staff_recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash  TEXT   NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions: the cookie carries a random token, the row its SHA-256, so a copy of
-- the database does not sign anyone in. A session exists before sign-in (the login form's CSRF
-- token) and is replaced, under a new token, at every step of the sign-in.
CREATE TABLE staff_sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        BIGINT  REFERENCES staff_users (id) ON DELETE CASCADE,
    stage          TEXT    NOT NULL,   -- anonymous | second_factor | enrol | new_password | signed_in
    csrf_token     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    last_seen_at   BIGINT  NOT NULL,
    pending_secret TEXT,               -- the TOTP secret being set up, until its first code
    flash          TEXT                -- shown once: new recovery codes, a temporary password
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);

-- Failed sign-ins, by account name and by address, within the throttling window.
CREATE TABLE staff_login_failures (
    scope  TEXT   NOT NULL,  -- account | address
    key    TEXT   NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX staff_login_failures_by_key ON staff_login_failures (scope, key, at);

-- Every staff action: who, what, when, from which address, on which object. Append-only: the
-- triggers refuse any change or deletion, whoever asks.
CREATE TABLE staff_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,           -- NULL: the command line, or a sign-in by an unknown name
    actor_name  TEXT   NOT NULL,
    action      TEXT   NOT NULL,  -- e.g. user.add, session.login
    object      TEXT   NOT NULL,  -- e.g. user:li.wei
    address     TEXT   NOT NULL,
    detail      TEXT   NOT NULL
);
CREATE INDEX staff_audit_by_time ON staff_audit (at);
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
