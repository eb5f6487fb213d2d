"""The dashboard page (`GET /dashboard`): a plain HTML page with its script, styles and a vendored copy of
Apache ECharts, served by the app itself and reading the same API as any other client (sign-in,
statistics, the registrar's queue). No build step, and nothing fetched from the internet at run time.
"""
