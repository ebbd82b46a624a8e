"""Integrations: what a provider's data looks like when it leaves the app (exports, API keys)."""
