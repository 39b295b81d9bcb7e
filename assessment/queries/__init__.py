"""Named store operations, one module per group of tables: the services call these (`queries.users.get(tx,
name)`) instead of naming tables and columns themselves. Each function works inside the caller's transaction
(`Store.read()` / `Store.write()`), so the store's guarantees hold: BEGIN IMMEDIATE for writes, versioned rows
refused with ConflictError when stale (`Tx.update`), and audit events committed with the change.

Groups: accounts (`users`), rubric versions (`rubrics`), letter templates and issued letters (`letters`),
training sessions (`training`), decisions with their findings and dissents (`decisions`), discipline input
with its ratings and views (`inputs`), the parts of a case file beside the case record: panel, consents,
documents, chronology, hearing, follow-up (`case_parts`), the case record itself with its applicant
(`cases`), the audit trail's questions and retention permits (`audit`), and every case table as export and
retention walk them (`case_tables`). tests/test_architecture.py checks that no module outside the store and
this package names a table."""
