"""Jinja templates for generated client packages (packaged as ``generator.templates``)."""
