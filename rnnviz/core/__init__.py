"""The shared core: the live-training engine, the recurrent cell table, the chart look, seeding and paths."""
