"""The resource dependency graph, from a DOT file or derived from configuration."""
