"""Learning: turn seed stories into a slot grammar."""
