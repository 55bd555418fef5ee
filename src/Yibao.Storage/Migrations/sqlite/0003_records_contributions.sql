-- Employers, the insured record with its dated status history, monthly contributions, and the
-- record of batch runs (monthly crediting, year-end). Money columns are integer fen.
CREATE TABLE employer (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT    NOT NULL REFERENCES region (code),
    credit_code  TEXT    NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name         TEXT    NOT NULL,
    created_on   TEXT    NOT NULL
);

ALTER TABLE insured ADD COLUMN scheme TEXT NOT NULL DEFAULT 'employee' CHECK (scheme IN ('employee', 'resident'));
ALTER TABLE insured ADD COLUMN employer_id INTEGER NULL REFERENCES employer (id);
ALTER TABLE insured ADD COLUMN declared_wage INTEGER NULL CHECK (declared_wage IS NULL OR declared_wage >= 0);
ALTER TABLE insured ADD COLUMN retirement_date TEXT NULL;
ALTER TABLE insured ADD COLUMN death_date TEXT NULL;
ALTER TABLE insured ADD COLUMN nationality TEXT NOT NULL DEFAULT 'CHN';

-- Status changes are kept, never overwritten: hire, leave, retire, die, rejoin, enrol.
CREATE TABLE insured_status (
    id            INTEGER PRIMARY KEY,
    insured_id    INTEGER NOT NULL REFERENCES insured (id),
    region_code   TEXT    NOT NULL,
    event         TEXT    NOT NULL CHECK (event IN ('enrol', 'hire', 'leave', 'retire', 'die', 'rejoin')),
    status        TEXT    NOT NULL CHECK (status IN ('employed', 'retired', 'flexible', 'suspended', 'deceased')),
    effective_on  TEXT    NOT NULL,
    employer_id   INTEGER NULL REFERENCES employer (id),
    recorded_at   TEXT    NOT NULL,
    UNIQUE (insured_id, effective_on, event)
);
CREATE INDEX ix_insured_status_person ON insured_status (insured_id, effective_on);

-- One contribution month of one person (with the employer that owes it, if any).
CREATE TABLE contribution (
    id               INTEGER PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    insured_id       INTEGER NOT NULL REFERENCES insured (id),
    employer_id      INTEGER NULL REFERENCES employer (id),
    month            TEXT    NOT NULL CHECK (length(month) = 7),
    base             INTEGER NOT NULL CHECK (base >= 0),
    employer_part    INTEGER NOT NULL CHECK (employer_part >= 0),
    individual_part  INTEGER NOT NULL CHECK (individual_part >= 0),
    due_date         TEXT    NOT NULL,
    paid_date        TEXT    NULL,
    source           TEXT    NOT NULL,
    UNIQUE (insured_id, month)
);
CREATE INDEX ix_contribution_region_month ON contribution (region_code, month);

-- A batch run (monthly crediting or year-end) of one region and period: its progress and sums.
-- Idempotency lives in the ledger keys; this row is what an operator watches and resumes.
CREATE TABLE batch_run (
    id               INTEGER PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('monthly-credit', 'year-end')),
    period           TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    policy_version   TEXT    NOT NULL,
    started_at       TEXT    NOT NULL,
    finished_at      TEXT    NULL,
    accounts_total   INTEGER NOT NULL DEFAULT 0,
    accounts_done    INTEGER NOT NULL DEFAULT 0,
    accounts_skipped INTEGER NOT NULL DEFAULT 0,
    sum_credited     INTEGER NOT NULL DEFAULT 0,
    sum_deducted     INTEGER NOT NULL DEFAULT 0,
    last_insured_id  INTEGER NOT NULL DEFAULT 0,
    message          TEXT    NULL,
    UNIQUE (region_code, kind, period)
);
