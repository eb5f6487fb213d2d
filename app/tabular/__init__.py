"""Spreadsheets in and out: reading uploaded CSV/XLSX into cells, parsing cells by a column spec, and
writing CSV/XLSX with formula injection neutralised. Knows nothing of the web framework or the models."""
