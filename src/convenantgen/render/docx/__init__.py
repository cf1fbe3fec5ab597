"""Word documents: templates prepared once (``template``, ``slim``), rendered per document
(``render``), and composed into one document per batch (``compose``)."""
