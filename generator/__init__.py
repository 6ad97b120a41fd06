"""docs2client: HTTP API documentation → YAML spec → typed Python client packages."""

__version__ = "0.1.0"
