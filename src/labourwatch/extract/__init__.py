"""extract (see README)."""
