"""The mapping from national technology fields to the city's priority industries: read by everyone,
edited by city and system administrators (API and CLI), applied to listings that name no industry."""
