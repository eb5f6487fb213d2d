"""The matching engine: pure Python that knows nothing of HTTP or the database.

It starts with tokenization, which listing search uses too, so that search and matching agree on
what a word is.
"""
