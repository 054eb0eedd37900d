"""Analyses over the configuration model: reference resolution and AI tasks."""
