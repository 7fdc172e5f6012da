"""The Streamlit side of the app: language, formats, filters, sign-in, caching, charts, cards.

Pages import from here and from ``data_access`` / ``analytics``; nothing in ``ui`` builds SQL.
"""
