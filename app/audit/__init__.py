"""The audit log: every state change writes who, what, when, before and after, in its own transaction."""
