"""The data layer: the only place with SQL. Scope and masking are applied here, never in pages."""
