-- Employers, the insured record with its dated status history, monthly contributions, and the
-- record of batch runs (monthly crediting, year-end). Money columns are integer fen.
CREATE TABLE employer (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code  TEXT    NOT NULL REFERENCES region (code),
    credit_code  TEXT    NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name         TEXT    NOT NULL,
    created_on   DATE    NOT NULL
);

ALTER TABLE insured ADD COLUMN scheme TEXT NOT NULL DEFAULT 'employee' CHECK (scheme IN ('employee', 'resident'));
ALTER TABLE insured ADD COLUMN employer_id BIGINT NULL REFERENCES employer (id);
ALTER TABLE insured ADD COLUMN declared_wage BIGINT NULL CHECK (declared_wage IS NULL OR declared_wage >= 0);
ALTER TABLE insured ADD COLUMN retirement_date DATE NULL;
ALTER TABLE insured ADD COLUMN death_date DATE NULL;
ALTER TABLE insured ADD COLUMN nationality TEXT NOT NULL DEFAULT 'CHN';

-- Status changes are kept, never overwritten: hire, leave, retire, die, rejoin, enrol.
CREATE TABLE insured_status (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    insured_id    BIGINT NOT NULL REFERENCES insured (id),
    region_code   TEXT    NOT NULL,
    event         TEXT    NOT NULL CHECK (event IN ('enrol', 'hire', 'leave', 'retire', 'die', 'rejoin')),
    status        TEXT    NOT NULL CHECK (status IN ('employed', 'retired', 'flexible', 'suspended', 'deceased')),
    effective_on  DATE    NOT NULL,
    employer_id   BIGINT NULL REFERENCES employer (id),
    recorded_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (insured_id, effective_on, event)
);
CREATE INDEX ix_insured_status_person ON insured_status (insured_id, effective_on);

-- One contribution month of one person (with the employer that owes it, if any).
CREATE TABLE contribution (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    insured_id       BIGINT NOT NULL REFERENCES insured (id),
    employer_id      BIGINT NULL REFERENCES employer (id),
    month            TEXT    NOT NULL CHECK (length(month) = 7),
    base             BIGINT NOT NULL CHECK (base >= 0),
    employer_part    BIGINT NOT NULL CHECK (employer_part >= 0),
    individual_part  BIGINT NOT NULL CHECK (individual_part >= 0),
    due_date         DATE    NOT NULL,
    paid_date        DATE    NULL,
    source           TEXT    NOT NULL,
    UNIQUE (insured_id, month)
);
CREATE INDEX ix_contribution_region_month ON contribution (region_code, month);

-- A batch run (monthly crediting or year-end) of one region and period: its progress and sums.
-- Idempotency lives in the ledger keys; this row is what an operator watches and resumes.
CREATE TABLE batch_run (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('monthly-credit', 'year-end')),
    period           TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    policy_version   TEXT    NOT NULL,
    started_at       TIMESTAMPTZ    NOT NULL,
    finished_at      TIMESTAMPTZ    NULL,
    accounts_total   BIGINT NOT NULL DEFAULT 0,
    accounts_done    BIGINT NOT NULL DEFAULT 0,
    accounts_skipped BIGINT NOT NULL DEFAULT 0,
    sum_credited     BIGINT NOT NULL DEFAULT 0,
    sum_deducted     BIGINT NOT NULL DEFAULT 0,
    last_insured_id  BIGINT NOT NULL DEFAULT 0,
    message          TEXT    NULL,
    UNIQUE (region_code, kind, period)
);
