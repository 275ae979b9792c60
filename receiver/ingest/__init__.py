"""The ingest half: what runs before the 200.

A callback is authenticated and bounded (endpoint.py, http_protocol.py), then made durable as
the raw request, in Postgres by group commit (writer.py, raw_store.py) or in the local spool
while Postgres is away (spool.py). Nothing here parses a body beyond what a signature needs.
"""
