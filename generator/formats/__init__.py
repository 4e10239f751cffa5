"""Output formats: how stories are framed and written."""
