"""PDF: LibreOffice conversion (``convert``), batches (``batches``), split and join of tagged
PDFs (``pages``), PDF/A checks (``pdfa``) and the signing package (``package``)."""
