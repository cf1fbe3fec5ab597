"""Build: what a command reads (``inputs``), the options of a build (``options``), the driver
(``run``) and its PDF stage (``pdfs``), checking the project's templates (``templates``),
staging and the atomic swap (``staging``) and ``serve``."""
