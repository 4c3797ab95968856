"""Sync: models."""
