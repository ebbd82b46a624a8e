"""Notifications: what a change means, the emails and invites it sends, reminders."""
