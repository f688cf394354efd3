"""Simple recurrent network with hand-set weights (seed 003 sections 1-3, seed 000 section 1.3)."""
