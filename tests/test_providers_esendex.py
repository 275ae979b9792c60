"""Esendex push notifications (XML, namespaced or not) and the legacy account event handler."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.providers.esendex import (
    ERROR_TYPES,
    EVENT_TYPES,
    NOTIFICATIONS,
    EsendexAdapter,
)
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, rows
from tests.contract import Expected, Fixture, ProviderContract

XML = "application/xml"
TEXT_XML = "text/xml; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
NS = "http://api.esendex.com/ns/"
adapter = EsendexAdapter()

# moretonb/EsendexPushNotifications README.md ("example raw postman input"), verbatim.
DELIVERED = b"""<MessageDelivered>
 <Id>bece4d20-779c-4778-b08c-438a13cca5c9</Id>
 <MessageId>ee931a29-d176-42bb-b2a1-a66871e8c118</MessageId>
 <AccountId>6145d724-98cb-41a2-8c4e-4b81ef694897</AccountId>
 <OccurredAt>2014-07-31T21:42:46</OccurredAt>
</MessageDelivered>
"""

# The same README, verbatim.
INBOUND = b"""<InboundMessage>
 <Id>bece4d20-779c-4778-b08c-438a13cca5c9</Id>
 <MessageId>ee931a29-d176-42bb-b2a1-a66871e8c118</MessageId>
 <AccountId>6145d724-98cb-41a2-8c4e-4b81ef694897</AccountId>
 <MessageText>some text</MessageText>
 <From>123123123</From>
 <To>456456456</To>
</InboundMessage>
"""

# Reconstructed: the elements of esendex/esendex-ruby-sdk lib/esendex/message_failed_event.rb
# (Id, MessageId, AccountId, OccurredAt), in the REST namespace, with a FailureReason shaped as
# the REST API's failurereason (code, description, permanentfailure: esendex-php-sdk
# test/Esendex/Parser/MessageHeaderXmlParserTest.php, whose values these are) and as
# LukeBillo/esendex-messagenotifications Models/ViewModels/FailedMessageViewModel.cs reads it.
FAILED = f"""<?xml version="1.0" encoding="utf-8"?>
<MessageFailed xmlns="{NS}">
  <Id>5a3e1c2b-8d4f-4e6a-9b7c-0d1e2f3a4b5c</Id>
  <MessageId>c2e5e1f3-0b1a-4d7e-9f3a-1b2c3d4e5f60</MessageId>
  <AccountId>6145d724-98cb-41a2-8c4e-4b81ef694897</AccountId>
  <OccurredAt>2014-08-01T09:15:00</OccurredAt>
  <FailureReason>
    <Code>142</Code>
    <Description>Message broken</Description>
    <PermanentFailure>true</PermanentFailure>
  </FailureReason>
</MessageFailed>
""".encode()

# Reconstructed: the properties of moretonb/EsendexPushNotifications
# PushNotifications/Models/OptOut.cs (Id, AccountReference, AccountId, ReceivedAt,
# From/PhoneNumber), values from the REST opt-out resource in esendex/esendex-java-sdk
# src/test/java/com/esendex/java/sdk/OptOutService/CreateOptOutTest.java.
OPT_OUT = b"""<OptOut>
  <Id>5d3c5c2d-ae35-4001-bf64-8893c091cb7f</Id>
  <AccountReference>EX0012345</AccountReference>
  <AccountId>6145d724-98cb-41a2-8c4e-4b81ef694897</AccountId>
  <ReceivedAt>2016-05-04T10:27:12Z</ReceivedAt>
  <From>
    <PhoneNumber>447987654321</PhoneNumber>
  </From>
</OptOut>
"""

# Reconstructed from the field table of www.esendex.com/secure/messenger/formpost/
# AccountEventHandler.aspx (MessageError details); the credentials are the ones a user enters.
LEGACY_ERROR = urlencode(
    {
        "username": "handler-user",
        "password": "handler-pass",
        "account": "EX0012345",
        "notificationType": "MessageError",
        "id": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
        "errorType": "UnrecognisedRecipient",
        "occurredAt": "2010-03-16T10:00:00",
        "detail": "Unrecognised recipient",
    }
).encode()

# The SOAP 1.1 sample of www.esendex.com/secure/messenger/soap/AccountEventHandler.asmx
# ?op=MessageEvent, verbatim but for its placeholders, which are filled in.
LEGACY_SOAP_EVENT = b"""<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Header>
    <MessengerHeader xmlns="com.esendex.ems.soapinterface">
      <Username>handler-user</Username>
      <Password>handler-pass</Password>
      <Account>EX0012345</Account>
    </MessengerHeader>
  </soap:Header>
  <soap:Body>
    <MessageEvent xmlns="com.esendex.ems.soapinterface">
      <id>1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b</id>
      <eventtype>Delivered</eventtype>
      <occurredat>2010-03-16T10:00:05</occurredat>
    </MessageEvent>
  </soap:Body>
</soap:Envelope>
"""


def _doc(root: str, children: str, namespaced: bool) -> bytes:
    xmlns = f' xmlns="{NS}"' if namespaced else ""
    return f"<{root}{xmlns}>{children}</{root}>".encode()


def _parse(body: bytes, content_type: str | None = XML) -> Normalized:
    return adapter.parse(decode("", content_type, body))


def _event(body: bytes, content_type: str | None = XML) -> DeliveryEvent:
    result = _parse(body, content_type)
    assert not result.inbound
    (event,) = result.events
    return event


def _inbound(body: bytes, content_type: str | None = XML) -> InboundMessage:
    result = _parse(body, content_type)
    assert not result.events
    (message,) = result.inbound
    return message


def _form(**values: str) -> bytes:
    return urlencode(values).encode()


# -- push notifications: the fields -----------------------------------------------------------


def test_message_delivered() -> None:
    event = _event(DELIVERED)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "MessageDelivered"
    assert event.message_id == "ee931a29-d176-42bb-b2a1-a66871e8c118"
    assert event.message_key == "id:ee931a29-d176-42bb-b2a1-a66871e8c118"
    assert event.event_id == "bece4d20-779c-4778-b08c-438a13cca5c9"
    assert event.occurred_at == datetime(2014, 7, 31, 21, 42, 46, tzinfo=UTC)
    assert event.occurred_at_raw == "2014-07-31T21:42:46"
    assert (event.recipient, event.error_code, event.error_detail) == (None, None, None)


def test_message_failed_with_its_failure_reason() -> None:
    event = _event(FAILED)
    assert event.status is Status.UNDELIVERED
    assert event.provider_status == "MessageFailed"
    assert event.message_id == "c2e5e1f3-0b1a-4d7e-9f3a-1b2c3d4e5f60"
    assert event.event_id == "5a3e1c2b-8d4f-4e6a-9b7c-0d1e2f3a4b5c"
    assert event.error_code == "142"
    assert event.error_detail == "Message broken (permanent failure)"
    assert event.occurred_at == datetime(2014, 8, 1, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reason", "code", "detail"),
    [
        # LukeBillo/esendex-messagenotifications MessageFailReasonViewModel: Code, Detail, ...
        (
            "<Code>492</Code><Detail>Lots of problems</Detail>"
            "<PermanentFailure>false</PermanentFailure>",
            "492",
            "Lots of problems (not a permanent failure)",
        ),
        ("<Code>7</Code>", "7", None),
        ("<PermanentFailure>true</PermanentFailure>", None, "permanent failure"),
        (
            "<Description>Expired</Description><PermanentFailure>maybe</PermanentFailure>",
            None,
            "Expired",
        ),
        ("", None, None),
    ],
)
def test_failure_reason_variants(reason: str, code: str | None, detail: str | None) -> None:
    body = _doc(
        "MessageFailed",
        f"<Id>n1</Id><MessageId>m1</MessageId><FailureReason>{reason}</FailureReason>",
        namespaced=False,
    )
    event = _event(body)
    assert event.status is Status.UNDELIVERED
    assert (event.error_code, event.error_detail) == (code, detail)


def test_message_failed_without_a_failure_reason() -> None:
    event = _event(_doc("MessageFailed", "<MessageId>m1</MessageId>", namespaced=True))
    assert (event.status, event.error_code, event.error_detail) == (Status.UNDELIVERED, None, None)
    assert event.event_id is None  # no Id: the event is then identified by its content


def test_inbound_message() -> None:
    message = _inbound(INBOUND)
    assert message.sender == "123123123"
    assert message.recipient == "456456456"
    assert message.text == "some text"
    assert message.message_id == "ee931a29-d176-42bb-b2a1-a66871e8c118"
    assert (message.is_opt_out, message.keyword) == (False, None)
    assert message.occurred_at is None  # the notification carries no time


@pytest.mark.parametrize("text", ["STOP", " stop ", "Stop.", "UNSUBSCRIBE", "stop all"])
def test_an_inbound_stop_is_an_opt_out(text: str) -> None:
    body = _doc(
        "InboundMessage",
        f"<MessageId>i1</MessageId><MessageText>{text}</MessageText>"
        "<From>+44 7700 900123</From><To>447700900999</To>",
        namespaced=True,
    )
    message = _inbound(body)
    assert message.is_opt_out
    assert message.keyword == " ".join(text.strip().upper().rstrip(".").split())
    assert message.sender == "447700900123"


def test_an_inbound_that_only_mentions_stop_is_not_an_opt_out() -> None:
    body = _doc(
        "InboundMessage",
        "<MessageId>i1</MessageId><MessageText>please don't stop</MessageText><From>4477</From>",
        namespaced=False,
    )
    assert (_inbound(body).is_opt_out, _inbound(body).keyword) == (False, None)


def test_opt_out() -> None:
    message = _inbound(OPT_OUT)
    assert message.is_opt_out
    assert message.keyword == "STOP"
    assert message.sender == "447987654321"
    assert message.recipient is None
    assert message.text is None
    assert message.message_id == "5d3c5c2d-ae35-4001-bf64-8893c091cb7f"
    assert message.occurred_at == datetime(2016, 5, 4, 10, 27, 12, tzinfo=UTC)
    assert message.occurred_at_raw == "2016-05-04T10:27:12Z"


def test_opt_out_with_a_flat_from_and_its_text() -> None:
    body = _doc(
        "OptOut",
        "<Id>o1</Id><From>+447700900123</From><MessageText>unsubscribe</MessageText>",
        namespaced=True,
    )
    message = _inbound(body)
    assert (message.sender, message.text, message.keyword) == (
        "447700900123",
        "unsubscribe",
        "UNSUBSCRIBE",
    )


# -- namespaced and not, any case -------------------------------------------------------------

_CHILDREN = {
    "MessageDelivered": "<Id>n1</Id><MessageId>m1</MessageId><OccurredAt>2020-01-02T03:04:05"
    "</OccurredAt>",
    "MessageFailed": "<Id>n2</Id><MessageId>m2</MessageId><OccurredAt>2020-01-02T03:04:05"
    "</OccurredAt><FailureReason><Code>1</Code><Description>x</Description></FailureReason>",
    "InboundMessage": "<Id>n3</Id><MessageId>m3</MessageId><MessageText>hi</MessageText>"
    "<From>447700900123</From><To>447700900999</To>",
    "OptOut": "<Id>n4</Id><ReceivedAt>2020-01-02T03:04:05</ReceivedAt>"
    "<From><PhoneNumber>447700900123</PhoneNumber></From>",
}


@pytest.mark.parametrize("root", sorted(_CHILDREN))
def test_namespaced_and_plain_documents_read_alike(root: str) -> None:
    plain = _parse(_doc(root, _CHILDREN[root], namespaced=False))
    namespaced = _parse(_doc(root, _CHILDREN[root], namespaced=True))
    assert namespaced == plain
    assert len(plain.events) + len(plain.inbound) == 1
    for item in (*plain.events, *plain.inbound):
        assert item.occurred_at is None or item.occurred_at.year == 2020


@pytest.mark.parametrize("root", sorted(_CHILDREN))
def test_a_prefixed_namespace_and_lower_case_names_read_alike(root: str) -> None:
    plain = _parse(_doc(root, _CHILDREN[root], namespaced=False))
    prefixed = _CHILDREN[root].replace("<", "<e:").replace("<e:/", "</e:")
    body = f'<e:{root} xmlns:e="{NS}">{prefixed}</e:{root}>'.encode()
    assert _parse(body) == plain
    assert _parse(_doc(root.lower(), _CHILDREN[root].lower(), namespaced=False)).events == tuple(
        DeliveryEvent(
            status=e.status,
            provider_status=e.provider_status.lower() if e.provider_status else None,
            message_id=e.message_id,
            error_code=e.error_code,
            error_detail=e.error_detail,
            occurred_at=e.occurred_at,
            occurred_at_raw=e.occurred_at_raw.lower() if e.occurred_at_raw else None,
            event_id=e.event_id,
        )
        for e in plain.events
    )


def test_xml_sent_without_a_content_type_is_sniffed() -> None:
    assert _event(DELIVERED, None).status is Status.DELIVERED
    assert _event(DELIVERED, "text/plain").status is Status.DELIVERED


def test_the_first_of_repeated_elements_wins() -> None:
    body = _doc("MessageDelivered", "<MessageId>a</MessageId><MessageId>b</MessageId>", False)
    assert _event(body).message_id == "a"


# -- timestamps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2014-07-31T21:42:46", datetime(2014, 7, 31, 21, 42, 46, tzinfo=UTC)),  # taken as UTC
        ("2014-07-31T21:42:46Z", datetime(2014, 7, 31, 21, 42, 46, tzinfo=UTC)),
        ("2014-07-31T22:42:46+01:00", datetime(2014, 7, 31, 21, 42, 46, tzinfo=UTC)),
        ("2014-07-31T21:42:46.1234567", datetime(2014, 7, 31, 21, 42, 46, 123456, tzinfo=UTC)),
        ("31/07/2014 21:42:46", None),
        ("0001-01-01T00:00:00+01:00", None),  # out of range once in UTC
        ("9999-12-31T23:59:59-01:00", None),
    ],
)
def test_occurred_at(raw: str, expected: datetime | None) -> None:
    body = _doc("MessageDelivered", f"<MessageId>m</MessageId><OccurredAt>{raw}</OccurredAt>", True)
    event = _event(body)
    assert event.occurred_at == expected
    assert event.occurred_at_raw == raw  # kept as sent, parsed or not


# -- what is not a notification ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<hello>world</hello>", XML, "<hello> is not MessageDelivered"),
        (f'<MessageRead xmlns="{NS}"/>'.encode(), XML, "<MessageRead> is not"),
        (b"<" + b"x" * 500 + b"/>", XML, "x" * 60 + r"\.\.\."),
        (b"<MessageDelivered><Id>1</Id></MessageDelivered>", XML, "without MessageId"),
        (b"<MessageFailed><MessageId> </MessageId></MessageFailed>", XML, "without MessageId"),
        (b"<MessageDelivered><MessageId><a>1</a></MessageId></MessageDelivered>", XML, "MessageId"),
        (b"<InboundMessage><MessageText>hi</MessageText></InboundMessage>", XML, "From or"),
        (b"<OptOut><Id>1</Id><From><PhoneNumber/></From></OptOut>", XML, "From/PhoneNumber"),
        (b'{"MessageId": "1"}', "application/json", "neither XML"),
        (b"", XML, "neither XML"),
        (b"MessageId=1", FORM, "no notificationType"),
    ],
)
def test_unreadable_notifications_are_payload_errors(
    body: bytes, content_type: str, message: str
) -> None:
    with pytest.raises(PayloadError, match=message):
        _parse(body, content_type)


@pytest.mark.parametrize(
    "body", [b"<MessageDelivered><MessageId>1</MessageId>", b"<a><b></a>", b"\xff\xfe<{\x00"]
)
def test_malformed_xml_is_a_payload_error(body: bytes) -> None:
    with pytest.raises(PayloadError, match="malformed or unsafe XML"):
        _parse(body)


def test_an_entity_bomb_is_refused_by_the_decoder() -> None:
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><MessageDelivered/>'
    with pytest.raises(PayloadError, match="unsafe"):
        _parse(bomb)


# -- the legacy account event handler --------------------------------------------------------


def test_legacy_message_error_form() -> None:
    event = _event(LEGACY_ERROR, FORM)
    assert event.status is Status.REJECTED
    assert event.provider_status == "UnrecognisedRecipient"
    assert event.message_id == "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"
    assert event.error_detail == "Unrecognised recipient"
    assert event.occurred_at == datetime(2010, 3, 16, 10, tzinfo=UTC)
    assert event.event_id is None


def test_legacy_message_event_soap() -> None:
    event = _event(LEGACY_SOAP_EVENT, TEXT_XML)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "Delivered"
    assert event.message_id == "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b"
    assert event.occurred_at == datetime(2010, 3, 16, 10, 0, 5, tzinfo=UTC)


def _soap(operation: str) -> bytes:
    return (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f"{operation}</soap:Body></soap:Envelope>"
    ).encode()


def test_legacy_message_error_soap_with_its_failure_reason() -> None:
    # soap/AccountEventHandler.asmx?op=MessageError sample, placeholders filled in.
    body = _soap(
        '<MessageError xmlns="com.esendex.ems.soapinterface"><id>e1</id>'
        "<errortype>ValidityPeriodExpired</errortype><occurredat>2010-03-16T10:00:00"
        "</occurredat><failurereason><code>3</code><description>Expired</description>"
        "<permanentfailure>true</permanentfailure></failurereason></MessageError>"
    )
    event = _event(body)
    assert (event.status, event.provider_status) == (Status.EXPIRED, "ValidityPeriodExpired")
    assert (event.error_code, event.error_detail) == ("3", "Expired (permanent failure)")


def test_legacy_message_received() -> None:
    form = _form(
        notificationType="MessageReceived",
        id="r1",
        originator="447700900123",
        recipient="447700900999",
        body="Stop",
        type="Text",
        receivedAt="2010-03-16T10:00:00",
    )
    message = _inbound(form, FORM)
    assert (message.sender, message.recipient, message.text) == (
        "447700900123",
        "447700900999",
        "Stop",
    )
    assert (message.message_id, message.is_opt_out, message.keyword) == ("r1", True, "STOP")
    assert message.occurred_at == datetime(2010, 3, 16, 10, tzinfo=UTC)
    soap = _soap(
        "<MessageReceived><id>r1</id><originator>447700900123</originator>"
        "<recipient>447700900999</recipient><body>Stop</body>"
        "<receivedAt>2010-03-16T10:00:00</receivedAt></MessageReceived>"
    )
    assert _inbound(soap) == message


def test_legacy_unsubscribe_is_an_opt_out_and_other_subscription_events_nothing() -> None:
    message = _inbound(
        _form(
            notificationType="SubscriptionEvent",
            mobileNumber="447700900123",
            eventType="Unsubscribe",
        ),
        FORM,
    )
    assert (message.sender, message.is_opt_out, message.keyword) == ("447700900123", True, "STOP")
    soap = _soap(
        "<SubscriptionEvent><mobileNumber>447700900123</mobileNumber>"
        "<eventCode>Subscribe</eventCode></SubscriptionEvent>"
    )
    assert _parse(soap) == Normalized()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (_form(notificationType="MessageEvent", id="1"), FORM, "without its event type"),
        (_form(notificationType="MessageError", errorType="Failed"), FORM, "message id"),
        (_form(notificationType="MessageReceived", body="hi"), FORM, "originator or id"),
        (_form(notificationType="SubscriptionEvent", eventType="Continue"), FORM, "mobileNumber"),
        (_form(notificationType="Heartbeat"), FORM, "'Heartbeat' is not MessageEvent"),
        (_soap(""), XML, "without an operation"),
        (b"<Envelope/>", XML, "without an operation"),
        (_soap("<Ping/>"), XML, "'Ping' is not"),
    ],
)
def test_unreadable_legacy_events_are_payload_errors(
    body: bytes, content_type: str, message: str
) -> None:
    with pytest.raises(PayloadError, match=message):
        _parse(body, content_type)


# -- the mapping tables -----------------------------------------------------------------------


def test_the_tables_are_what_the_adapter_publishes() -> None:
    assert dict(adapter.status_maps) == {
        "root element (any other: a parse error)": NOTIFICATIONS,
        "eventType (legacy MessageEvent)": EVENT_TYPES,
        "errorType (legacy MessageError)": ERROR_TYPES,
    }
    assert "MessageId" in adapter.keyed_by


# -- through the app --------------------------------------------------------------------------


def _post(client: TestClient, body: bytes, content_type: str = XML) -> Any:
    return client.post(
        f"/callbacks/esendex/{TOKEN}", content=body, headers={"content-type": content_type}
    )


def test_a_retried_notification_is_stored_once(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    retry = DELIVERED.replace(b"<MessageDelivered>", f'<MessageDelivered xmlns="{NS}">'.encode())
    for body in (DELIVERED, retry, DELIVERED):
        response = _post(client, body)
        assert (response.status_code, response.text) == (200, "OK")
    assert rows(db, "SELECT count(*) AS n FROM callbacks WHERE provider = 'esendex'")[0]["n"] == 3
    events = rows(db, "SELECT status, message_id FROM delivery_events WHERE provider = 'esendex'")
    assert events == [{"status": "delivered", "message_id": "ee931a29-d176-42bb-b2a1-a66871e8c118"}]


def test_two_notifications_about_one_message_are_two_events(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    other = DELIVERED.replace(b"bece4d20", b"0ece4d20")  # another notification's Id
    for body in (DELIVERED, other):
        assert _post(client, body).status_code == 200
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 2
    messages = rows(db, "SELECT status FROM messages WHERE provider = 'esendex'")
    assert messages == [{"status": "delivered"}]


def test_a_retried_opt_out_is_stored_once(client: TestClient, db: psycopg.Connection[Any]) -> None:
    for _ in range(2):
        assert _post(client, OPT_OUT).status_code == 200
    stored = rows(db, "SELECT sender, is_opt_out, keyword FROM inbound_messages")
    assert stored == [{"sender": "447987654321", "is_opt_out": True, "keyword": "STOP"}]


def test_an_unknown_notification_is_kept_with_its_reason(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    assert _post(client, b"<MessageRead><Id>1</Id></MessageRead>").status_code == 200
    (stored,) = rows(db, "SELECT parse_error FROM callbacks")
    assert "<MessageRead> is not MessageDelivered" in stored["parse_error"]


# -- the shared contract ----------------------------------------------------------------------


class TestEsendexContract(ProviderContract):
    slug = "esendex"
    fixtures = (
        Fixture(
            "message delivered",
            "moretonb/EsendexPushNotifications README.md (verbatim)",
            body=DELIVERED,
            content_type=XML,
            events=(
                Expected(
                    Status.DELIVERED,
                    "MessageDelivered",
                    message_id="ee931a29-d176-42bb-b2a1-a66871e8c118",
                ),
            ),
        ),
        Fixture(
            "message failed, namespaced",
            "reconstructed: esendex-ruby-sdk lib/esendex/message_failed_event.rb elements, "
            "FailureReason as esendex-php-sdk MessageHeaderXmlParserTest.php's failurereason",
            body=FAILED,
            content_type=TEXT_XML,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "MessageFailed",
                    message_id="c2e5e1f3-0b1a-4d7e-9f3a-1b2c3d4e5f60",
                    error_code="142",
                ),
            ),
        ),
        Fixture(
            "inbound message",
            "moretonb/EsendexPushNotifications README.md (verbatim)",
            body=INBOUND,
            content_type=XML,
            inbound=(("123123123", False),),
        ),
        Fixture(
            "opt-out",
            "reconstructed: moretonb/EsendexPushNotifications PushNotifications/Models/OptOut.cs "
            "properties, esendex-java-sdk CreateOptOutTest.java values",
            body=OPT_OUT,
            content_type=None,
            inbound=(("447987654321", True),),
        ),
        Fixture(
            "legacy MessageError form post",
            "reconstructed: www.esendex.com/secure/messenger/formpost/AccountEventHandler.aspx",
            body=LEGACY_ERROR,
            content_type=FORM,
            events=(
                Expected(
                    Status.REJECTED,
                    "UnrecognisedRecipient",
                    message_id="9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
                ),
            ),
        ),
        Fixture(
            "legacy MessageEvent SOAP",
            "www.esendex.com/secure/messenger/soap/AccountEventHandler.asmx?op=MessageEvent "
            "(verbatim, placeholders filled in)",
            body=LEGACY_SOAP_EVENT,
            content_type=TEXT_XML,
            events=(
                Expected(
                    Status.DELIVERED,
                    "Delivered",
                    message_id="1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b",
                ),
            ),
        ),
    )
    # The two outbound push notifications, and the legacy handler's eventType and errorType
    # values (sources at the tables in receiver/providers/esendex.py).
    statuses = (
        ("MessageDelivered", Status.DELIVERED),
        ("MessageFailed", Status.UNDELIVERED),
        ("Delivered", Status.DELIVERED),
        ("Failed", Status.UNDELIVERED),
        ("UnrecognisedRecipient", Status.REJECTED),
        ("ValidityPeriodExpired", Status.EXPIRED),
    )
    wrong_shape = Fixture("not a notification", "invented", b"<hello>world</hello>", XML)

    def with_status(self, raw_status: str) -> Fixture:
        if raw_status in NOTIFICATIONS:
            body = _doc(raw_status, "<Id>n1</Id><MessageId>m1</MessageId>", namespaced=True)
            return Fixture(raw_status, "as FAILED", body, XML)
        # Only the legacy types are open-ended ("may be extended in future releases").
        kind = "MessageError" if raw_status in ERROR_TYPES else "MessageEvent"
        field = "errorType" if kind == "MessageError" else "eventType"
        body = _form(notificationType=kind, id="m1", **{field: raw_status})
        return Fixture(raw_status, "as LEGACY_ERROR", body, FORM)
