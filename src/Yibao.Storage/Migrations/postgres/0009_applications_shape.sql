-- Applications rebuilt on typed decisions (issue 12) and transfers that report back (issue 10):
-- whether an application's deadlines counted a provisional calendar day (K17), and on the
-- source's outbox what the target region last said of the message (waiting, credited), so a
-- transfer waiting on its target stays visible where it was sent from.
ALTER TABLE application ADD COLUMN deadlines_provisional SMALLINT NOT NULL DEFAULT 0 CHECK (deadlines_provisional IN (0, 1));
ALTER TABLE transfer_outbox ADD COLUMN target_status TEXT NULL CHECK (target_status IS NULL OR target_status IN ('received', 'waiting', 'credited'));
ALTER TABLE transfer_outbox ADD COLUMN target_error TEXT NULL;
ALTER TABLE transfer_outbox ADD COLUMN credited_on DATE NULL;
