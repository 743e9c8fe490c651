-- 032_outbox_ref.sql — withdrawing a record's pending messages (inbox_withdraw: ref_type, ref_id,
-- not sent, due later) searches one index: with only (ref_type, ref_id) indexed, SQLite's planner
-- took outbox_pending (sent_at, due_at) instead and walked every pending message of the district —
-- thousands once staff reminders exist — so a round's re-run spent 5 ms per withdrawn reminder
-- (bench/rounds_api.mjs: 120 → 400 ms). The wider index serves both the old lookups (its prefix)
-- and the withdrawal.
DROP INDEX outbox_ref;
CREATE INDEX outbox_ref ON outbox(ref_type, ref_id, sent_at, due_at);
