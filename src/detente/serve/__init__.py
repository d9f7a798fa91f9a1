"""The service stage: the REST API (``app.create_app``), its access rules, limits and API keys."""
