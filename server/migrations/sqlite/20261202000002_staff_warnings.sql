-- Warnings written in the staff console. A row is a draft until its author submits it; an
-- Actual one then waits for a second person's approval (two-person rule) before its CAP
-- message enters the ingest; Test and Exercise ones go at once (residents never see them).
CREATE TABLE staff_warnings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id      BIGINT  NOT NULL REFERENCES staff_users (id),
    state          TEXT    NOT NULL,  -- draft | submitted | released | rejected
    cap_status     TEXT    NOT NULL,  -- Actual | Exercise | Test (from the form)
    msg_type       TEXT    NOT NULL,  -- Alert | Update
    updates_id     BIGINT  REFERENCES staff_warnings (id),  -- the released warning it updates
    form           TEXT    NOT NULL,  -- the form as typed (JSON)
    approver_id    BIGINT  REFERENCES staff_users (id),
    reason         TEXT,              -- why it was rejected
    cap_identifier TEXT,
    message_id     BIGINT,            -- cap_messages id once ingested
    cancelled_by   BIGINT  REFERENCES staff_users (id),
    cancel_message_id BIGINT,
    created_at     BIGINT  NOT NULL,  -- Unix milliseconds
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX staff_warnings_by_state ON staff_warnings (state, updated_at);
