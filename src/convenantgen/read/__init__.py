"""Read: the project, its YAML sources (ruamel round trip, line numbers kept), the schemas,
the templates it overrides, and ``load_content``: discover, load, validate, model, check."""
