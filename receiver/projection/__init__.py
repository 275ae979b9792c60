"""The projection half: what runs behind the ack.

The projector (projector.py) claims stored callbacks from the queue, normalizes them with the
adapters, and writes events, messages and replies (store.py), raising alerts by their rules
(alert_rules.py) in the same transaction. Rollups (rollups.py) fold closed hours and days for
the dashboard views; reparse.py re-queues callbacks for projection.
"""
