"""receiver: the delivery-receipt and postback webhook receiver for SMS senders."""

from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["DeliveryEvent", "InboundMessage", "Normalized", "PayloadError", "Status"]
__version__ = "0.1.0"
