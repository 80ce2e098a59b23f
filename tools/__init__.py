"""Developers' and operators' tools that never ship in the app: the benchmark and the load test.

Run them as scripts from the project root (`make bench`, `make loadtest`).
"""
