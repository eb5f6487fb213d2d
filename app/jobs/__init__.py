"""Reading the worker's queue and consumers over HTTP (city and system administrators).

Apart from `app.worker` because it needs authentication: the worker sits below `auth` in the
layers, as the audit writer (`app.audit`) sits below the audit log's API (`app.audit_events`).
"""
