"""Protection: models."""
