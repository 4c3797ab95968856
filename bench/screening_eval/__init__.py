"""The labelled evaluation set for screening: synthetic people, name variants, and the measurement.

See ``docs/screening-evaluation.md``. Nothing here is used when screening; the bench and
the tests use it.
"""
