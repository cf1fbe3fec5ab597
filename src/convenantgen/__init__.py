"""convenantgen: covenants as validated YAML, rendered to signing-ready documents and a site."""

__version__ = "0.1.0"
