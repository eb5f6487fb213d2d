"""Database plumbing: metadata with a naming convention, the declarative base, engine and sessions."""
