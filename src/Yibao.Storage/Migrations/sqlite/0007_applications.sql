-- Applications an insured person makes and the agency reviews (提取, 转移接续), their audit
-- trail, and the message exchange of a transfer between pooling regions.
--
-- application: one row per application; status moves only by a conditional UPDATE on the status
-- it was read in (two reviewers acting at once: exactly one wins). facts holds the kind's facts
-- as JSON (reason, heir, bank account, target region, ...); decision the decision's answer at the
-- last submission, approval_decision the one at approval. deadlines are working days on the
-- region's calendar. submission_key makes a retried submission a replay.
CREATE TABLE application (
    id                 INTEGER PRIMARY KEY,
    region_code        TEXT    NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('withdrawal', 'transfer')),
    insured_id         INTEGER NOT NULL REFERENCES insured (id),
    id_number          TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('submitted', 'returned', 'accepted', 'approved', 'rejected', 'executed', 'closed', 'withdrawn')),
    submission_key     TEXT    NOT NULL UNIQUE,
    content_hash       TEXT    NOT NULL,
    applied_on         TEXT    NOT NULL,
    accepted_on        TEXT    NULL,
    due_on             TEXT    NOT NULL,
    target_due_on      TEXT    NULL,
    agent_name         TEXT    NULL,
    agent_id_number    TEXT    NULL,
    materials          TEXT    NOT NULL,
    facts              TEXT    NOT NULL,
    policy_version     TEXT    NOT NULL,
    decision           TEXT    NOT NULL,
    approval_decision  TEXT    NULL,
    reason_code        TEXT    NULL,
    reason_zh          TEXT    NULL,
    reason_en          TEXT    NULL,
    entry_key          TEXT    NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    CHECK (due_on >= applied_on),
    CHECK ((agent_name IS NULL) = (agent_id_number IS NULL))
);
CREATE INDEX ix_application_queue ON application (region_code, status, due_on);
CREATE INDEX ix_application_insured ON application (insured_id, id);

-- Every change of status: who, when, from which status, why. Rows are only added.
CREATE TABLE application_event (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application (id),
    region_code     TEXT    NOT NULL,
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    from_status     TEXT    NULL,
    to_status       TEXT    NOT NULL,
    reason_code     TEXT    NULL,
    reason_zh       TEXT    NULL,
    reason_en       TEXT    NULL,
    note            TEXT    NULL
);
CREATE INDEX ix_application_event_application ON application_event (application_id, id);

-- Source side of a transfer: written in the same transaction as the debit to the inter-region
-- clearing account; a dispatcher delivers it to the target region's inbox and marks it delivered.
CREATE TABLE transfer_outbox (
    id                     INTEGER PRIMARY KEY,
    message_id             TEXT    NOT NULL UNIQUE,
    application_id         INTEGER NOT NULL UNIQUE REFERENCES application (id),
    region_code            TEXT    NOT NULL,
    target_region          TEXT    NOT NULL,
    id_number              TEXT    NOT NULL,
    name                   TEXT    NOT NULL,
    amount                 INTEGER NOT NULL CHECK (amount >= 0),
    applied_on             TEXT    NOT NULL,
    accepted_on            TEXT    NOT NULL,
    transfer_out_deadline  TEXT    NOT NULL,
    sent_on                TEXT    NOT NULL,
    created_at             TEXT    NOT NULL,
    delivered_at           TEXT    NULL,
    attempts               INTEGER NOT NULL DEFAULT 0,
    last_error             TEXT    NULL
);
CREATE INDEX ix_transfer_outbox_pending ON transfer_outbox (delivered_at, id);

-- Target side: a message is accepted once (its id is the key), then credited once.
CREATE TABLE transfer_inbox (
    message_id            TEXT    PRIMARY KEY,
    region_code           TEXT    NOT NULL,
    source_region         TEXT    NOT NULL,
    id_number             TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    amount                INTEGER NOT NULL CHECK (amount >= 0),
    applied_on            TEXT    NOT NULL,
    received_on           TEXT    NOT NULL,
    transfer_in_deadline  TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('received', 'credited')),
    entry_key             TEXT    NULL,
    credited_on           TEXT    NULL,
    last_error            TEXT    NULL,
    received_at           TEXT    NOT NULL
);
CREATE INDEX ix_transfer_inbox_queue ON transfer_inbox (region_code, status, transfer_in_deadline);

-- At most one application of a kind in progress per person: two submissions racing end with one.
CREATE UNIQUE INDEX ux_application_in_progress ON application (insured_id, kind) WHERE status NOT IN ('rejected', 'closed', 'withdrawn');
