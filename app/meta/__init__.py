"""Reference data for front ends: the enumerations with their Chinese labels."""
