"""The public information hub for migrants (runs alone in CORREDOR_MODE=hub)."""
