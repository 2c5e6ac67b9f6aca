"""Benchmark scripts (`make bench`), each run as a script; a package only so that tools tell
bench/run.py from load/run.py."""
