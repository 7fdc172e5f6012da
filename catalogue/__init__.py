"""The catalogue: every concept of the product declared once, as typed data.

One small module per kind of concept, read by the layers that need them:

- ``catalogue.codes``: code lists (every coded value with its English and Chinese names);
- ``catalogue.metrics``: metrics (names, unit, kind, how the actual is computed, the mart read);
- ``catalogue.roles``: roles and the capabilities each has.

Marts are declared in ``data_access.marts`` (their build is SQL, which lives only in the data
layer). This package imports no other package of the project, so ``analytics``, ``data_access``,
``ui`` and ``pages`` can all read it; it holds no logic beyond lookups.
"""
