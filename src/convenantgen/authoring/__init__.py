"""Authoring: tools for the people who keep a covenant: scaffolding (``new``, ``init``), ``diff``
between revisions, ``status`` on a date and reading the signatures of a signed package."""
