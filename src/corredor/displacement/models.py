"""Displacement: models."""
