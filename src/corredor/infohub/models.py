"""Information hub: models."""
