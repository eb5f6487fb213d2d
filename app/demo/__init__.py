"""Demo data: a believable Lianyungang network (organizations, accounts, demands, achievements,
achievement packages).

`load_demo_data(session, seed)` fills a database in the caller's transaction and is idempotent: the
organizations are recognised by their credit codes, the accounts by e-mail, the listings by their
`demo-…` client keys and the packages by their themes, so a second run creates nothing. The
organizations and accounts are fixed (app.demo.network); the seed varies the listings. Achievement
text comes from a curated subset of the CSL sample (app/demo/data, Apache-2.0) shipped with the
package.
"""

DEFAULT_SEED = 2018  # the year of the policy the network comes from
