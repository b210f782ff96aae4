"""feedpub: publish RSS 2.0, Atom 1.0, JSON Feed 1.1 and sitemaps for sites made of post files."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("feedpub")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
