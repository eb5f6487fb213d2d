"""The official holiday calendar (State Council schedules), used for working-day deadlines.

Seeded from the `chinese-calendar` package (2004 onwards); an administrator loads each new year,
from a newer package release or by posting the year's days.
"""
