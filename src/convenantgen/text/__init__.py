"""Text: Dutch formatting through Babel, the Jinja sandbox, wording entries and Markdown escaping.

The lowest stage: it knows nothing of dossiers. Every later stage writes words through it."""
