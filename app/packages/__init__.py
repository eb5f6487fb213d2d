"""Achievement packages (科技成果包): curated by city and district administrators for an industrial
direction, versioned (a published version never changes; the next edit is a new version), with
published achievements as members, read by anyone once published."""
