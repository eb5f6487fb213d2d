"""Durable background work: a job queue in the database, and consumers of the `events` table.

- `registry`: what runs a kind of job, and which consumer handles which event types. Features
  register theirs (a `register(registry)` function of their own, listed in `app.main`); this package
  imports no feature.
- `queue`: enqueue, claim with a lease, finish, retry with back-off, give up (`dead`).
- `consumers`: each consumer's cursor over `events`, advanced in the transaction of its handler's
  writes (at least once; handlers are idempotent by event id).
- `runner`: the loop (`techtransfer worker`, and inside `techtransfer serve`) and `run_until_idle`.
"""
