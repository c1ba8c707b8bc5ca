"""Benchmarks: rmtui at 100,000 clients and 1,000,000 interactions against same-run baselines."""
