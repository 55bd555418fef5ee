-- 一次性预划入 (宁波, seed 003): a region that pre-credits its insurance year records, per person
-- and year, the months the pre-credit covers and the monthly amounts it was made of, so that the
-- year-end settlement claws back exactly the unpaid months, and a back-pay knows what is covered.
-- The money is in the journal (keys pre-credit/{region}/{first month}/{idNumber} and
-- pre-credit-claw-back/…); settled_* are filled once, by the settlement's transaction.
CREATE TABLE pre_credit (
    insured_id         BIGINT  NOT NULL REFERENCES insured (id),
    year_start         TEXT    NOT NULL,
    region_code        TEXT    NOT NULL,
    account_id         BIGINT  NOT NULL REFERENCES ledger_account (id),
    from_month         TEXT    NOT NULL,
    months             INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    monthly_gross      BIGINT  NOT NULL CHECK (monthly_gross >= 0),
    monthly_deduction  BIGINT  NOT NULL CHECK (monthly_deduction >= 0),
    monthly_net        BIGINT  NOT NULL CHECK (monthly_net >= 0),
    entry_key          TEXT    NOT NULL UNIQUE,
    settled_on         DATE    NULL,
    clawed_months      TEXT    NULL,
    clawed_back        BIGINT  NULL CHECK (clawed_back >= 0),
    shortfall          BIGINT  NULL CHECK (shortfall >= 0),
    PRIMARY KEY (insured_id, year_start)
);
CREATE INDEX ix_pre_credit_account ON pre_credit (account_id, year_start);
CREATE INDEX ix_pre_credit_region_year ON pre_credit (region_code, year_start);
