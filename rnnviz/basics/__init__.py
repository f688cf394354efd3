"""Training loop basics (seed 002): fit sin(x) with a cubic three ways, losses, optimizers, learning rates."""
