"""Build: what a command reads (``inputs``), the whole build (``run``), checking the project's
templates (``templates``), staging and the atomic swap (``staging``) and ``serve``."""
