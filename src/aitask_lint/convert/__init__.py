"""Coder's ``ConvertState``: plan/state JSON + graph -> template resources."""
