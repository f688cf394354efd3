"""RNN vs LSTM vs GRU trained side by side (seed 000 exercises, seed 001)."""
