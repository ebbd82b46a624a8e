"""Booking: appointments, the busy time they keep, clients, and the guards on public booking."""
