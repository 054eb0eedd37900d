"""Turning results into the formats people and CI systems read."""
