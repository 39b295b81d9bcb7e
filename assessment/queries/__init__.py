"""Named store operations, one module per group of tables: the services call these (`queries.users.get(tx,
name)`) instead of naming tables and columns themselves. Each function works inside the caller's transaction
(`Store.read()` / `Store.write()`), so the store's guarantees hold: BEGIN IMMEDIATE for writes, versioned rows
refused with ConflictError when stale (`Tx.update`), and audit events committed with the change.

Moved so far: accounts (`users`), rubric versions (`rubrics`), letter templates and issued letters
(`letters`), training sessions (`training`), decisions with their findings and dissents (`decisions`), discipline input with its ratings and views
(`inputs`), the parts of a case file beside the case record: panel, consents, documents, chronology,
hearing, follow-up (`case_parts`), and the case record itself with its applicant (`cases`). Still on the
generic `Tx` helpers in the services: the audit trail (`audit_events`) and retention permits
(`retention_permits`); privacy's retention walks the whole schema by table name on purpose.
tests/test_architecture.py lists the tables that only these modules may name."""
