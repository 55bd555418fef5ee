-- 家庭共济 (family mutual aid) and 异地就医备案 (remote-care filing).
--
-- A binding lets a near relative (被共济人) spend from the owner's (共济人) personal account within an
-- authorisation window; it lives in the owner's region, whatever region the relative is insured in.
-- Only the revocation columns ever change, once; nothing is deleted. A spend is the receipt of one
-- payment under a binding: the money is the journal entry named by entry_key (none when the account
-- had nothing to pay), the caller's idempotency key (a settlement id) is unique in the region.
-- The tables hold only what the policy allows at all (no in-law relation, no fitness purpose, no
-- step-relation without proof, no spend outside its window or after its binding's revocation), so
-- a bug in the code above cannot store a state the rules forbid. Money columns are integer fen.
CREATE TABLE family_aid_binding (
    id                  INTEGER PRIMARY KEY,
    region_code         TEXT    NOT NULL REFERENCES region (code),
    owner_id_number     TEXT    NOT NULL,
    relative_id_number  TEXT    NOT NULL CHECK (length(relative_id_number) = 18),
    relative_name       TEXT    NOT NULL CHECK (length(relative_name) BETWEEN 1 AND 100),
    relative_region     TEXT    NOT NULL CHECK (length(relative_region) = 6),
    relative_insured    INTEGER NOT NULL CHECK (relative_insured IN (0, 1)),
    relation            TEXT    NOT NULL CHECK (relation IN ('spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild',
                                                             'stepparent', 'stepchild', 'adoptive-parent', 'adopted-child')),
    raising_proof       INTEGER NOT NULL CHECK (raising_proof IN (0, 1)),
    proof               TEXT    NOT NULL CHECK (proof IN ('household-register', 'marriage-certificate', 'birth-certificate',
                                                          'adoption-certificate', 'kinship-certificate', 'personal-commitment')),
    proof_reference     TEXT    NULL,
    bound_on            TEXT    NOT NULL,
    window_start        TEXT    NOT NULL,
    window_end          TEXT    NOT NULL,
    consent_by          TEXT    NOT NULL CHECK (consent_by IN ('owner', 'relative')),
    consent_id_number   TEXT    NOT NULL,
    consent_method      TEXT    NOT NULL CHECK (consent_method IN ('online', 'in-person', 'written')),
    consent_on          TEXT    NOT NULL,
    policy_version      TEXT    NOT NULL,
    actor               TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL,
    revoked_on          TEXT    NULL,
    revoked_by          TEXT    NULL CHECK (revoked_by IN ('owner', 'relative')),
    revoked_at          TEXT    NULL,
    FOREIGN KEY (region_code, owner_id_number) REFERENCES insured (region_code, id_number),
    UNIQUE (id, region_code),
    CHECK (relative_id_number <> owner_id_number),
    CHECK (relation NOT IN ('stepparent', 'stepchild') OR raising_proof = 1),
    CHECK (window_start >= bound_on),
    CHECK (window_end > window_start),
    CHECK (consent_on <= bound_on),
    CHECK (consent_id_number = CASE consent_by WHEN 'owner' THEN owner_id_number ELSE relative_id_number END),
    CHECK ((revoked_on IS NULL) = (revoked_by IS NULL) AND (revoked_on IS NULL) = (revoked_at IS NULL)),
    CHECK (revoked_on IS NULL OR revoked_on >= bound_on)
);
CREATE INDEX ix_family_aid_binding_owner ON family_aid_binding (region_code, owner_id_number, window_start);
CREATE INDEX ix_family_aid_binding_relative ON family_aid_binding (relative_id_number, window_start);

CREATE TRIGGER family_aid_binding_no_delete BEFORE DELETE ON family_aid_binding
BEGIN SELECT RAISE(ABORT, 'family-aid bindings are kept; revoke instead'); END;
CREATE TRIGGER family_aid_binding_terms_fixed BEFORE UPDATE OF
    id, region_code, owner_id_number, relative_id_number, relative_name, relative_region, relative_insured, relation, raising_proof,
    proof, proof_reference, bound_on, window_start, window_end, consent_by, consent_id_number, consent_method, consent_on,
    policy_version, actor, recorded_at ON family_aid_binding
BEGIN SELECT RAISE(ABORT, 'the terms of a family-aid binding never change'); END;
CREATE TRIGGER family_aid_binding_revoked_once BEFORE UPDATE OF revoked_on, revoked_by, revoked_at ON family_aid_binding
WHEN OLD.revoked_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a family-aid binding is revoked once'); END;
-- A revocation takes effect on its day: no spend of the binding may be dated on or after it.
CREATE TRIGGER family_aid_binding_revoked_after_spends BEFORE UPDATE OF revoked_on ON family_aid_binding
WHEN NEW.revoked_on IS NOT NULL AND EXISTS (SELECT 1 FROM family_aid_spend s WHERE s.binding_id = NEW.id AND s.spend_on >= NEW.revoked_on)
BEGIN SELECT RAISE(ABORT, 'a revocation cannot precede a recorded spend'); END;

CREATE TABLE family_aid_spend (
    id                   INTEGER PRIMARY KEY,
    region_code          TEXT    NOT NULL,
    binding_id           INTEGER NOT NULL,
    idempotency_key      TEXT    NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    content_hash         TEXT    NOT NULL,
    purpose              TEXT    NOT NULL CHECK (purpose IN ('medical', 'pharmacy', 'resident-premium', 'ltc-premium')),
    institution_code     TEXT    NULL,
    institution_name     TEXT    NULL,
    designated           INTEGER NOT NULL CHECK (designated IN (0, 1)),
    spend_on             TEXT    NOT NULL,
    amount               INTEGER NOT NULL CHECK (amount > 0),
    account_pays         INTEGER NOT NULL CHECK (account_pays >= 0),
    cash_pays            INTEGER NOT NULL CHECK (cash_pays >= 0),
    owner_balance_after  INTEGER NOT NULL CHECK (owner_balance_after >= 0),
    entry_key            TEXT    NULL UNIQUE,
    policy_version       TEXT    NOT NULL,
    actor                TEXT    NOT NULL,
    recorded_at          TEXT    NOT NULL,
    FOREIGN KEY (binding_id, region_code) REFERENCES family_aid_binding (id, region_code),
    UNIQUE (region_code, idempotency_key),
    CHECK (account_pays + cash_pays = amount),
    CHECK (purpose NOT IN ('medical', 'pharmacy') OR (designated = 1 AND institution_code IS NOT NULL)),
    CHECK ((entry_key IS NULL) = (account_pays = 0))
);
CREATE INDEX ix_family_aid_spend_binding ON family_aid_spend (binding_id, spend_on);

CREATE TRIGGER family_aid_spend_no_update BEFORE UPDATE ON family_aid_spend
BEGIN SELECT RAISE(ABORT, 'family-aid spends are immutable'); END;
CREATE TRIGGER family_aid_spend_no_delete BEFORE DELETE ON family_aid_spend
BEGIN SELECT RAISE(ABORT, 'family-aid spends are immutable'); END;
CREATE TRIGGER family_aid_spend_in_window BEFORE INSERT ON family_aid_spend
WHEN NOT EXISTS (SELECT 1 FROM family_aid_binding b WHERE b.id = NEW.binding_id
                 AND NEW.spend_on >= b.window_start AND NEW.spend_on <= b.window_end
                 AND (b.revoked_on IS NULL OR NEW.spend_on < b.revoked_on))
BEGIN SELECT RAISE(ABORT, 'a family-aid spend lies inside its binding''s window, before any revocation'); END;

-- 异地就医备案: a person's filing to be treated elsewhere, long-term (open-ended until revoked, A8)
-- or temporary (valid to its end). kind is the inpatient decision's remote-care input the filing
-- selects; it follows from the category. A revocation takes effect on its day.
CREATE TABLE remote_care_filing (
    id                  INTEGER PRIMARY KEY,
    region_code         TEXT    NOT NULL REFERENCES region (code),
    id_number           TEXT    NOT NULL,
    category            TEXT    NOT NULL CHECK (category IN ('moved', 'resident-elsewhere', 'retiree-elsewhere', 'referral', 'emergency', 'other')),
    kind                TEXT    NOT NULL,
    destination_region  TEXT    NOT NULL CHECK (length(destination_region) = 6 AND destination_region <> '000000'),
    filed_on            TEXT    NOT NULL,
    valid_from          TEXT    NOT NULL,
    valid_to            TEXT    NULL,
    policy_version      TEXT    NOT NULL,
    actor               TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL,
    revoked_on          TEXT    NULL,
    revoked_at          TEXT    NULL,
    FOREIGN KEY (region_code, id_number) REFERENCES insured (region_code, id_number),
    CHECK (destination_region <> region_code),
    CHECK (kind = CASE category WHEN 'referral' THEN 'temporary-referral' WHEN 'emergency' THEN 'temporary-emergency'
                                WHEN 'other' THEN 'temporary-other' ELSE 'long-term' END),
    CHECK ((kind = 'long-term') = (valid_to IS NULL)),
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK (valid_from >= filed_on OR category = 'emergency'),
    CHECK ((revoked_on IS NULL) = (revoked_at IS NULL)),
    CHECK (revoked_on IS NULL OR revoked_on >= filed_on)
);
CREATE INDEX ix_remote_care_filing_person ON remote_care_filing (region_code, id_number, valid_from);

CREATE TRIGGER remote_care_filing_no_delete BEFORE DELETE ON remote_care_filing
BEGIN SELECT RAISE(ABORT, 'remote-care filings are kept; revoke instead'); END;
CREATE TRIGGER remote_care_filing_terms_fixed BEFORE UPDATE OF
    id, region_code, id_number, category, kind, destination_region, filed_on, valid_from, valid_to, policy_version, actor, recorded_at
    ON remote_care_filing
BEGIN SELECT RAISE(ABORT, 'the terms of a remote-care filing never change'); END;
CREATE TRIGGER remote_care_filing_revoked_once BEFORE UPDATE OF revoked_on, revoked_at ON remote_care_filing
WHEN OLD.revoked_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a remote-care filing is revoked once'); END;
