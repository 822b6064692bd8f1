-- The record of drills held (issue 13): one row per class session that closed (ended by the
-- teacher or expired), for the bureau's statistics of drills in schools. No pupil's name is
-- kept: only how many took part, finished, ended safe, and the mean score.
CREATE TABLE drill_records (
    code          TEXT    NOT NULL,  -- the session's six digits (reused later: not unique alone)
    opened_at     BIGINT  NOT NULL,  -- Unix milliseconds
    closed_at     BIGINT  NOT NULL,
    scenario      TEXT    NOT NULL,
    school        TEXT    NOT NULL,
    teacher       TEXT    NOT NULL,  -- the teacher's login name
    pacing        TEXT    NOT NULL,  -- self-paced | step-by-step
    participants  BIGINT  NOT NULL,
    finished      BIGINT  NOT NULL,
    safe          BIGINT  NOT NULL,
    mean_percent  BIGINT,            -- of those who finished; none when nobody did
    PRIMARY KEY (code, opened_at)
);
CREATE INDEX drill_records_by_school ON drill_records (school, scenario);
