"""Name screening against sanctions lists and the evidence store (planned: issue 6)."""
