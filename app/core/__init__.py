"""Cross-cutting pieces every feature uses: settings, errors, problem responses, shared types."""
