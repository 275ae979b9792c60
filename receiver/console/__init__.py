"""The web console at /console: overview, search, message timelines, recent callbacks and
alerts, rendered on the server. Off unless RECEIVER_CONSOLE is set; logged in to with the API
token."""

from receiver.console.pages import Console

__all__ = ["Console"]
