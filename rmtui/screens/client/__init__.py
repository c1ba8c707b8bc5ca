"""Client detail: the profile, timeline and panels of one client."""
