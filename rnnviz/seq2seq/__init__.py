"""Sequence to sequence: hello -> ohlol three ways, and an encoder-decoder on word pairs."""
