"""Use cases of the provider's own calendars: the subscribable feed of appointments."""
