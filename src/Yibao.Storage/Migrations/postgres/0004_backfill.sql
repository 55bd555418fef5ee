-- Back-pay (补缴) payments posted to the ledger, and the benefit status (待遇状态) they establish.
-- The money itself is in the journal (keys backfill/{region}/{idNumber}/{paidOn}/{months hash}/…,
-- and the monthly credit of each paid month under credit/{region}/{month}/{idNumber}, the key the
-- monthly run uses); this row is the receipt an agency looks up, and its unique key is what makes
-- a retried payment a replay. account_credit and credited_months say what this payment credited
-- to the personal account. Money columns are integer fen.
CREATE TABLE backfill_payment (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    insured_id       BIGINT  NOT NULL REFERENCES insured (id),
    employer_id      BIGINT  NULL REFERENCES employer (id),
    idempotency_key  TEXT    NOT NULL UNIQUE,
    content_hash     TEXT    NOT NULL,
    cause            TEXT    NOT NULL CHECK (cause IN ('employer', 'individual')),
    months           TEXT    NOT NULL,
    paid_on          DATE    NOT NULL,
    principal        BIGINT  NOT NULL CHECK (principal > 0),
    late_fee         BIGINT  NOT NULL CHECK (late_fee >= 0),
    employer_part    BIGINT  NOT NULL CHECK (employer_part >= 0),
    individual_part  BIGINT  NOT NULL CHECK (individual_part >= 0),
    account_credit   BIGINT  NOT NULL CHECK (account_credit >= 0),
    late_fee_payer   TEXT    NOT NULL CHECK (late_fee_payer IN ('employer', 'individual')),
    credited_months  TEXT    NOT NULL,
    policy_version   TEXT    NOT NULL,
    actor            TEXT    NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL,
    CHECK (principal = employer_part + individual_part)
);
CREATE INDEX ix_backfill_payment_insured ON backfill_payment (insured_id, paid_on);

-- What a back-pay established about benefits: a window covered retroactively, a waiting
-- period, the day benefits start, or a window that stays uncovered. Rows are added, never
-- changed; each names the decision's reason and the policy version.
CREATE TABLE benefit_status (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code     TEXT    NOT NULL,
    insured_id      BIGINT  NOT NULL REFERENCES insured (id),
    backfill_id     BIGINT  NOT NULL REFERENCES backfill_payment (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('retroactive', 'waiting', 'benefits-from', 'not-covered')),
    from_date       DATE    NOT NULL,
    to_date         DATE    NULL,
    reason_code     TEXT    NOT NULL,
    reason_zh       TEXT    NOT NULL,
    reason_en       TEXT    NOT NULL,
    rule_id         TEXT    NOT NULL,
    policy_version  TEXT    NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date),
    UNIQUE (backfill_id, kind, from_date)
);
CREATE INDEX ix_benefit_status_insured ON benefit_status (insured_id, from_date);
