"""Character-level language model on dinosaur names (seed 003 section 5)."""
