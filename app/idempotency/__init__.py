"""The Idempotency-Key header: a request that must not happen twice (creating a contract, submitting
it) is answered once, and a retry with the same key gets the same answer."""
