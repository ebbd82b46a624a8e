"""The provider's own calendars: the feed out of this service's appointments."""
