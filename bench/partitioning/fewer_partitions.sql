-- Planning against the number of partitions: the empty months before the sample's oldest
-- entry are detached inside a transaction that is rolled back, leaving the months that
-- hold entries, the months ahead and the default. Run after bench.partitioning.run:
--   psql -h 127.0.0.1 -U postgres -d sx_partition -f bench/partitioning/fewer_partitions.sql
-- Compare with the same EXPLAIN run in a fresh session with every partition attached.
BEGIN;
DO $$
DECLARE
    oldest text := (SELECT 'audit_' || to_char(min(occurred_at), 'YYYYMM') FROM part.audit);
    r record;
BEGIN
    FOR r IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'part.audit'::regclass AND c.relname < oldest
            AND c.relname <> 'audit_default'
    LOOP
        EXECUTE format('ALTER TABLE part.audit DETACH PARTITION part.%I', r.relname);
    END LOOP;
END
$$;
SELECT count(*) AS partitions_left FROM pg_inherits WHERE inhparent = 'part.audit'::regclass;
EXPLAIN (ANALYZE, SUMMARY, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, SUMMARY, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, SUMMARY, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, SUMMARY, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
EXPLAIN (ANALYZE, SUMMARY, COSTS OFF) SELECT a.*, u.id FROM part.audit a LEFT OUTER JOIN core_user u ON a.actor_id = u.id WHERE a.object_id = '106436' AND a.object_type = 'referrals.person' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50;
ROLLBACK;
