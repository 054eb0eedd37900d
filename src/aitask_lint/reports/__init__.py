"""Turning results into the formats people and CI systems read."""

#: the ``check --format`` choices
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")
