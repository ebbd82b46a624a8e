"""Slots and time: zones, wall clocks, opening windows, and the slot engine."""
