"""Binary addition (seed 003 section 4): an RNN adds two numbers bit by bit and invents a carry."""
