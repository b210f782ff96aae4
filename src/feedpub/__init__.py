"""feedpub: publish RSS 2.0, Atom 1.0, JSON Feed 1.1 and sitemaps for sites made of post files."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Looked up on first use: importing importlib.metadata costs ~30 ms, a third of a no-change cron run.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("feedpub")
        except PackageNotFoundError:  # running from a source tree that was never installed
            value = "0.0.0"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'feedpub' has no attribute {name!r}")
