"""Tensor shapes and batch_first (seed 000 section 3)."""
