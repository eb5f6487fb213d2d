"""Reading the audit log over the API. Writing it is `app.audit`, which every feature uses."""
