"""Enterprise technology demands (企业技术需求): posted by enterprises, reviewed, published, searched."""
