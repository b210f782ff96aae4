"""Everything under .feedpub/: its paths, the SQLite files, the cache, the ping state, the last build."""
