"""Integrations: the provider's data taken out (CSV, one client's record) and API keys."""
