"""Torture tests: kill -9, a second program, a second window and damaged files against the book.

`python -m tests.reliability --rounds 200` runs them long, by hand, and prints the figures.
"""
