"""Render: documents from the contexts: Markdown, Word (``docx/``) and PDF (``pdf/``: LibreOffice
in batches, split and join of tagged PDFs, PDF/A checks, the signing package)."""
