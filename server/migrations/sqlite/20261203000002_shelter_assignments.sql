-- Which volunteers keep which shelters current: a volunteer reports only the shelters an admin
-- assigned to them (admins report any). Removing a shelter or an account removes its rows.
CREATE TABLE shelter_assignments (
    shelter_id   TEXT    NOT NULL REFERENCES shelters (id) ON DELETE CASCADE,
    user_id      BIGINT  NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    assigned_at  BIGINT  NOT NULL,  -- Unix milliseconds
    assigned_by  TEXT    NOT NULL,  -- the admin's login name
    PRIMARY KEY (shelter_id, user_id)
);
CREATE INDEX shelter_assignments_by_user ON shelter_assignments (user_id);
