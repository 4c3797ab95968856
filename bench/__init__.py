"""Corredor's benchmarks (`make bench`, or `python -m bench [--quick]` from the repository root).

Speed is shown here, never asserted in unit tests. Each run prints a table and writes the figures, with
the machine and the date, to `bench/results.json` (`--quick`: `bench/results-quick.json`).
"""
