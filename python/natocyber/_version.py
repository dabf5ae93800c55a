"""The package version (one place for the package, its command line and its report)."""

__version__ = "0.1.0"
