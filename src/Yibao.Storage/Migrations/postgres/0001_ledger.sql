-- Ledger: accounts, balances by segment, immutable journal entries and postings.
CREATE TABLE ledger_account (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    region_code   TEXT    NOT NULL CHECK (length(region_code) = 6),
    kind          TEXT    NOT NULL,
    holder        TEXT    NULL,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_on     DATE    NOT NULL,
    closed_on     DATE    NULL
);
CREATE INDEX ix_ledger_account_region_kind ON ledger_account (region_code, kind);

-- The balance of an account segment. A personal account has one row per segment (shard 0):
-- its conditional UPDATE is what refuses an overdraft, and the CHECK underneath is the
-- database's own guard. An account with no overdraft rule (pooled fund, clearing,
-- receivables) spreads its balance over 16 shard rows, so concurrent entries do not queue
-- on one hot row lock through their commits; its balance is the sum of its shards.
CREATE TABLE account_balance (
    account_id    BIGINT   NOT NULL REFERENCES ledger_account (id),
    segment       TEXT     NOT NULL,
    shard         SMALLINT NOT NULL DEFAULT 0 CHECK (shard >= 0 AND shard < 16),
    region_code   TEXT     NOT NULL,
    non_negative  SMALLINT NOT NULL CHECK (non_negative IN (0, 1)),
    is_open       SMALLINT NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),
    balance       BIGINT   NOT NULL DEFAULT 0,
    posting_count BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, segment, shard),
    CHECK (non_negative = 0 OR balance >= 0),
    CHECK (non_negative = 0 OR shard = 0)
);

CREATE TABLE journal_entry (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    content_hash      TEXT    NOT NULL,
    region_code       TEXT    NOT NULL,
    reason_code       TEXT    NOT NULL,
    business_date     DATE    NOT NULL,
    actor             TEXT    NOT NULL,
    policy_version    TEXT    NOT NULL,
    memo              TEXT    NULL,
    reverses_entry_id BIGINT  NULL UNIQUE REFERENCES journal_entry (id),
    recorded_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_journal_entry_region_date ON journal_entry (region_code, business_date);

CREATE TABLE posting (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id      BIGINT  NOT NULL REFERENCES journal_entry (id),
    account_id    BIGINT  NOT NULL REFERENCES ledger_account (id),
    segment       TEXT    NOT NULL,
    region_code   TEXT    NOT NULL,
    business_date DATE    NOT NULL,
    amount        BIGINT  NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ix_posting_entry ON posting (entry_id);
CREATE INDEX ix_posting_account_date ON posting (account_id, business_date, id);

-- Entries are never updated or deleted: a mistake is corrected by a reversing entry.
CREATE FUNCTION yibao_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME;
END $$;
CREATE TRIGGER journal_entry_immutable BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION yibao_refuse_change();
CREATE TRIGGER posting_immutable BEFORE UPDATE OR DELETE ON posting
    FOR EACH ROW EXECUTE FUNCTION yibao_refuse_change();
