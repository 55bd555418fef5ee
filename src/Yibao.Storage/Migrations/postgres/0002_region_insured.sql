-- Pooling regions served by this database, and the insured people of each (参保人).
-- Issue 5 grows the insured record (employer, base, status history); this is its start.
CREATE TABLE region (
    code        TEXT NOT NULL PRIMARY KEY CHECK (length(code) = 6),
    name        TEXT NOT NULL,
    created_on  DATE NOT NULL
);

CREATE TABLE insured (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES region (code),
    id_number    TEXT NOT NULL CHECK (length(id_number) = 18),
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date   DATE NOT NULL,
    status       TEXT NOT NULL,
    enrolled_on  DATE NOT NULL,
    UNIQUE (region_code, id_number)
);
