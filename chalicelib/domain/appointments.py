"""Appointment facts other features already depend on (appointments themselves come later)."""

from __future__ import annotations

# Statuses that still hold a slot. cancelled, completed and no_show do not.
ACTIVE_STATUSES = ("pending", "confirmed")
