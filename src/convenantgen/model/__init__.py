"""Model: frozen dataclasses built from validated YAML, and the facts derived from them.

``dossier`` holds the records, ``dates`` parses dates, ``finance`` and ``references`` the money
and the ``{kind:id}`` references, ``derive`` the terms, signatories and stages (as enums),
``in_force`` the text in force on a date of change."""
