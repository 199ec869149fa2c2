-- The partitioned audit copy without its default partition: PostgreSQL can then read the
-- partitions newest first (an ordered Append) and stop. Run after bench.partitioning.run:
--   psql -h 127.0.0.1 -U postgres -d sx_partition -f bench/partitioning/no_default.sql
-- The first EXPLAIN warms the caches; the default partition is attached again at the end.
ALTER TABLE part.audit DETACH PARTITION part.audit_default;
\o /dev/null
EXPLAIN (ANALYZE) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
\o
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id ORDER BY a.occurred_at DESC, a.id DESC LIMIT 100;
ALTER TABLE part.audit ATTACH PARTITION part.audit_default DEFAULT;
