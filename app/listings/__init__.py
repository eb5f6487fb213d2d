"""What demands and achievements share: the review lifecycle, revisions, visibility and search."""
