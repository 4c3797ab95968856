"""The demo, on the top floor: `corredor demo` loads border's synthetic year, then calls each installed
app's seeding (`<app>/demo.py`, a `seed(...)` function) in order. No app imports this package."""
