"""Recording changes: the audit event and the durable `events` row are written together, by one call.

`recording.record` / `record_many` are the only writers of both tables; `transitions.transition` is the
one way to change an entity's state (compare-and-set, version, updated_at from the clock, record).
"""
