-- Ledger: accounts, balances by segment, immutable journal entries and postings.
CREATE TABLE ledger_account (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    region_code   TEXT    NOT NULL CHECK (length(region_code) = 6),
    kind          TEXT    NOT NULL,
    holder        TEXT    NULL,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_on     TEXT    NOT NULL,
    closed_on     TEXT    NULL
);
CREATE INDEX ix_ledger_account_region_kind ON ledger_account (region_code, kind);

-- The balance of an account segment. A personal account has one row per segment (shard 0):
-- its conditional UPDATE is what refuses an overdraft, and the CHECK underneath is the
-- database's own guard. An account with no overdraft rule (pooled fund, clearing,
-- receivables) spreads its balance over 16 shard rows, so concurrent entries do not queue
-- on one hot row lock through their commits; its balance is the sum of its shards.
CREATE TABLE account_balance (
    account_id    INTEGER NOT NULL REFERENCES ledger_account (id),
    segment       TEXT    NOT NULL,
    shard         INTEGER NOT NULL DEFAULT 0 CHECK (shard >= 0 AND shard < 16),
    region_code   TEXT    NOT NULL,
    non_negative  INTEGER NOT NULL CHECK (non_negative IN (0, 1)),
    is_open       INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),
    balance       INTEGER NOT NULL DEFAULT 0,
    posting_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, segment, shard),
    CHECK (non_negative = 0 OR balance >= 0),
    CHECK (non_negative = 0 OR shard = 0)
);

CREATE TABLE journal_entry (
    id                INTEGER PRIMARY KEY,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    content_hash      TEXT    NOT NULL,
    region_code       TEXT    NOT NULL,
    reason_code       TEXT    NOT NULL,
    business_date     TEXT    NOT NULL,
    actor             TEXT    NOT NULL,
    policy_version    TEXT    NOT NULL,
    memo              TEXT    NULL,
    reverses_entry_id INTEGER NULL UNIQUE REFERENCES journal_entry (id),
    recorded_at       TEXT    NOT NULL
);
CREATE INDEX ix_journal_entry_region_date ON journal_entry (region_code, business_date);

CREATE TABLE posting (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES journal_entry (id),
    account_id    INTEGER NOT NULL REFERENCES ledger_account (id),
    segment       TEXT    NOT NULL,
    region_code   TEXT    NOT NULL,
    business_date TEXT    NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ix_posting_entry ON posting (entry_id);
CREATE INDEX ix_posting_account_date ON posting (account_id, business_date, id);

-- Entries are never updated or deleted: a mistake is corrected by a reversing entry.
CREATE TRIGGER journal_entry_no_update BEFORE UPDATE ON journal_entry
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER posting_no_update BEFORE UPDATE ON posting
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;
CREATE TRIGGER posting_no_delete BEFORE DELETE ON posting
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;
