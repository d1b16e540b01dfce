"""The embedded default backend: the graph kept in one SQLite file (standard library, WAL)."""
