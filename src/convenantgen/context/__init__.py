"""Context: what each document and site page shows, computed once per dossier, data only.

``agreement`` (covenants, addenda, accessions), ``in_force`` (the texts in force), ``dossier``
(the whole dossier), ``lifecycle`` and ``site`` (the site's view), ``charts`` (charts)."""
