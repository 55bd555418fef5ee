-- Contributions reach the ledger (issue 10): a recorded month is billed to its payer's receivable
-- when it falls due (contribution-due) and received into the pooled fund through bank clearing when
-- it is paid (contribution-paid); the entries' keys are the month's. in_ledger says whether a row's
-- money is in the journal: 1 for every row written from now on; 0 for the rows recorded before this
-- migration (no entries were posted for them) and for synthetic load data (yibao demo generate).
-- ledger verify proves, per region, that the pooled fund's contribution income equals the paid
-- in_ledger months and that 应缴待收 (contributions-billed) equals the unpaid ones. Paying an old
-- unpaid month posts both of its entries and sets in_ledger.
ALTER TABLE contribution ADD COLUMN in_ledger INTEGER NOT NULL DEFAULT 1 CHECK (in_ledger IN (0, 1));
UPDATE contribution SET in_ledger = 0;
