"""Technology-market statistics: tallies of the registration ledger, targets, top parties (read-only)."""
