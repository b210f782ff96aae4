"""feedpub: publish RSS 2.0, Atom 1.0, JSON Feed 1.1 and sitemaps for sites made of post files."""

# The one place the version is written: pyproject.toml reads it from here. A literal, not
# importlib.metadata.version(): importing importlib.metadata costs ~10 ms of every build.
__version__ = "0.1.0"
