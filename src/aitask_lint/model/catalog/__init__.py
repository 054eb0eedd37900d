"""The known-module catalog: what registry modules contain, by version."""
