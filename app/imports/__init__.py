"""Bulk import of demands and achievements from CSV/XLSX: templates, dry runs, all-or-nothing imports
through the features' own services, and background jobs for large files."""
