"""The peak-day load run (issue 10): `python -m bench.load [--seconds 60] [--users N] [--scale]`."""
