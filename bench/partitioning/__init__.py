"""The audit table at national scale: the workload estimate and a partitioned copy
measured beside the plain table (docs/scaling.md, "National scale")."""
