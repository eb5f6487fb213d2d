"""The one-network technology-transfer API."""
