"""The public site's context: what each page shows, prepared once per dossier.

Filled in by the site templates step; until then the site keeps its Python page builders.
"""

from __future__ import annotations

# template name -> (purpose, top-level variables and their types)
SITE_TEMPLATES: dict[str, tuple[str, dict]] = {}
