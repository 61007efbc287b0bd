"""Rendering of reports: the only package that imports rich, and only for tables."""
