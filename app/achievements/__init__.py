"""Scientific and technological achievements (科技成果): listed by their owners, reviewed, published."""
