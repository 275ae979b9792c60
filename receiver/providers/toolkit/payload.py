"""Decoding a raw request into fields an adapter can read.

Providers send query strings, form posts (urlencoded or multipart), JSON or XML, sometimes
with a wrong or missing content type, so the body is decoded by its declared type first and
sniffed second. Query and body are merged; body values win on a clash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from python_multipart.multipart import parse_options_header

from receiver.records import PayloadError

__all__ = ["Payload", "decode"]


@dataclass(frozen=True, slots=True)
class Payload:
    """A request's content. `fields` holds every scalar the request carried, as text."""

    fields: Mapping[str, str]
    json: Any = None
    xml: Element | None = None
    text: str | None = None
    _folded: Mapping[str, str] = field(default_factory=dict, repr=False)

    def get(self, *names: str) -> str | None:
        """The first of `names` present (exact, then case-insensitive), stripped; else None."""
        for name in names:
            value = self.fields.get(name)
            if value is None:
                value = self._folded.get(name.lower())
            if value is not None:
                value = value.strip()
                return value or None
        return None


def decode(query: str, content_type: str | None, body: bytes) -> Payload:
    """Decode query string and body; raises PayloadError for a body that claims a type it isn't."""
    fields: dict[str, str] = dict(_parse_form(query)) if query else {}
    mime, params = _mime(content_type)
    charset = params.get("charset", "utf-8")
    json_value: Any = None
    xml_value: Element | None = None
    text: str | None = None

    if body.strip():
        kind = _kind(mime, body)
        if kind == "form":
            fields.update(_parse_form(_text(body, charset)))
        elif kind == "multipart":
            fields.update(_parse_multipart(body, params.get("boundary")))
        elif kind == "json":
            json_value = _parse_json(body)
            if isinstance(json_value, dict):
                fields.update(_scalars(json_value))
        elif kind == "xml":
            xml_value = _parse_xml(body)
            fields.update(_xml_scalars(xml_value))
        else:
            text = _text(body, charset)

    return Payload(
        fields=fields,
        json=json_value,
        xml=xml_value,
        text=text,
        _folded={key.lower(): value for key, value in fields.items()},
    )


def _mime(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    mime, raw_params = parse_options_header(content_type)
    params = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw_params.items()}
    return mime.decode("latin-1").lower(), params


def _kind(mime: str, body: bytes) -> str:
    if mime == "application/x-www-form-urlencoded":
        return "form"
    if mime.startswith("multipart/form-data"):
        return "multipart"
    if mime == "application/json" or mime.endswith("+json"):
        return "json"
    if mime in ("application/xml", "text/xml") or mime.endswith("+xml"):
        return "xml"
    # Missing or generic type: sniff, as providers often send form bodies as text/plain.
    head = body.lstrip()[:1]
    if head in (b"{", b"["):
        return "json"
    if head == b"<":
        return "xml"
    if b"=" in body and b":" not in body.split(b"=", 1)[0]:
        return "form"
    return "text"


def _text(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body.decode("latin-1")


def _parse_form(data: str) -> list[tuple[str, str]]:
    return parse_qsl(data, keep_blank_values=True)


def _parse_multipart(body: bytes, boundary: str | None) -> dict[str, str]:
    if not boundary:
        raise PayloadError("multipart body without a boundary")
    from python_multipart import MultipartParser

    result: dict[str, str] = {}
    current: dict[str, Any] = {}

    def on_part_begin() -> None:
        current.clear()
        current["headers"] = []
        current["data"] = bytearray()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        current["headers"].append([data[start:end], b""])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        current["headers"][-1][1] += data[start:end]

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["data"] += data[start:end]

    def on_part_end() -> None:
        for name, value in current["headers"]:
            if name.lower() == b"content-disposition":
                _, options = parse_options_header(value)
                field_name = options.get(b"name")
                if field_name is not None and b"filename" not in options:
                    result[field_name.decode("utf-8", "replace")] = bytes(current["data"]).decode(
                        "utf-8", "replace"
                    )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except Exception as exc:  # python-multipart raises several unrelated types
        raise PayloadError(f"malformed multipart body: {exc}") from exc
    return result


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except RecursionError:
        raise PayloadError("JSON body nested too deeply to read") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"malformed JSON body: {exc}") from exc


def _scalars(obj: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in obj.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            out[key] = str(value)
    return out


def _parse_xml(body: bytes) -> Element:
    try:
        root: Element = SafeET.fromstring(body)
    except (SafeET.ParseError, DefusedXmlException, ValueError, LookupError) as exc:
        # LookupError: an XML declaration naming an encoding Python does not know.
        raise PayloadError(f"malformed or unsafe XML body: {exc}") from exc
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_scalars(root: Element) -> dict[str, str]:
    """Leaf elements and root attributes, by local name (first occurrence wins)."""
    out: dict[str, str] = {k: v for k, v in root.attrib.items()}
    for element in root.iter():
        if element is root or len(element):
            continue
        out.setdefault(_local(element.tag), (element.text or "").strip())
    return out
