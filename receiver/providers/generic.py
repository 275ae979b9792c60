"""`generic`: gateways nobody has written an adapter for, described in receiver.toml.

Each provider is declared by name under `[providers.generic.<name>]` in the file RECEIVER_CONFIG
points at (CONTRACT §5) and called at `/callbacks/<name>/<token>`. The declaration says where
each field is in the body and how its raw statuses map; the module holds no provider knowledge.

Paths, by `format`:

* `json`: a dotted path; a number steps into a list (`results.0.id`). Keys containing a dot
  cannot be reached. `items = "."` means the body itself is the list of events.
* `xml`: element names separated by `/`, starting with the root element (`Receipt/Id` reads
  `<Receipt><Id>`); paths inside `items` start below the item element. A last step `@name`
  reads an attribute. Namespaces are ignored: each step is matched against the element's local
  name, whatever its namespace, so paths carry no prefixes. Where several elements match, the
  first in document order counts (for `items`, every one).
* `form`: the field's name, in the urlencoded / multipart body or the query string (the body
  wins); matched exactly, else case-insensitively. A form has no lists, so no `items`.

`occurred_at` is read as ISO-8601 (a time without an offset is taken as UTC), else as epoch
seconds (milliseconds when the number is that large). Raw statuses are matched
case-insensitively; an unmapped one is `unknown` with the raw value kept. In a list of items, an
item without a status or without any key field (message_id / client_ref) is skipped; a body
with no readable event at all is a parse error.

The optional signature is an HMAC (sha1 / sha256 / sha512) of the raw body with any of the
secrets in the environment variable `secret_env` names (comma-separated, to rotate), in a
header as hex (either case) or base64 after an optional prefix. It has no timestamp, so no
replay window.

Definitions are checked here, not in receiver.config, so that this module does not import it
(receiver.config imports this one): `parse_definitions` returns every problem, each led by the
key it is about.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, cast
from xml.etree.ElementTree import Element

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.signing import hmac_digests, matches_any
from receiver.providers.toolkit.fields import json_text, parse_epoch, parse_iso
from receiver.providers.toolkit.fields import recipient as normalize_recipient
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, Normalized, PayloadError
from receiver.status import Status

__all__ = [
    "FORMATS",
    "GenericAdapter",
    "GenericDefinition",
    "GenericSignature",
    "generic_adapter",
    "parse_definitions",
]

FORMATS = ("form", "json", "xml")
#: HMAC digests a signature may use, by the name receiver.toml gives them.
ALGORITHMS: Mapping[str, Callable[[], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}
ENCODINGS = ("hex", "base64")
#: The keys that hold a path, in the order events list them.
PATH_KEYS = ("message_id", "client_ref", "recipient", "status", "occurred_at", "error_code")
KEYS = ("format", *PATH_KEYS, "items", "statuses", "signature")
SIGNATURE_KEYS = ("header", "algorithm", "encoding", "prefix", "secret_env")
STATUSES = tuple(status.value for status in Status)

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# An HTTP header name (RFC 9110 token).
_HEADER = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# An XML element name step, or `@attribute` (local names only: no prefix, no predicate).
_XML_STEP = re.compile(r"@?[^\W\d][\w.-]*")


@dataclass(frozen=True, slots=True)
class GenericSignature:
    header: str
    algorithm: str
    encoding: str
    secret_env: str
    prefix: str = ""
    #: Read from the variable `secret_env` names, at start.
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class GenericDefinition:
    """One `[providers.generic.<name>]` table, checked. Paths are kept as written."""

    name: str
    format: str
    status: str
    message_id: str | None = None
    client_ref: str | None = None
    recipient: str | None = None
    occurred_at: str | None = None
    error_code: str | None = None
    items: str | None = None
    #: (raw status as written, status), in the file's order.
    statuses: tuple[tuple[str, Status], ...] = ()
    signature: GenericSignature | None = None


# -- checking declarations ----------------------------------------------------------------


def parse_definitions(
    table: object, environ: Mapping[str, str], reserved: Collection[str]
) -> tuple[tuple[GenericDefinition, ...], list[str]]:
    """The definitions in the `[providers.generic]` table, and every problem with them, each
    as `providers.generic.<name>[.<key>]: <reason>`. `reserved`: the built-in slugs."""
    if not isinstance(table, dict):
        return (), ["providers.generic: expected a table with one [providers.generic.<name>] each"]
    definitions: list[GenericDefinition] = []
    errors: list[str] = []
    for name, body in table.items():
        definition = _definition(str(name), body, environ, reserved, errors)
        if definition is not None:
            definitions.append(definition)
    return tuple(definitions), errors


def _definition(
    name: str,
    body: object,
    environ: Mapping[str, str],
    reserved: Collection[str],
    errors: list[str],
) -> GenericDefinition | None:
    key = f"providers.generic.{_toml_key(name)}"
    before = len(errors)
    if not _NAME.fullmatch(name):
        errors.append(
            f"{key}: the name is the URL path segment /callbacks/<name>/, so it must be 1 to 64 "
            f"lower-case letters, digits, - or _, starting with a letter or digit; got {name!r}"
        )
    elif name == "generic":
        errors.append(f"{key}: 'generic' is the kind of these providers; give each a name")
    elif name in reserved:
        errors.append(
            f"{key}: {name!r} is a built-in provider's slug (/callbacks/{name}/ is taken); "
            "choose another name"
        )
    if not isinstance(body, dict):
        errors.append(f"{key}: expected a table of settings, got {_shown(body)}")
        return None
    for unknown in sorted(body.keys() - set(KEYS)):
        errors.append(f"{key}.{_toml_key(unknown)}: unknown key; expected {', '.join(KEYS)}")

    fmt = _format(body.get("format"), key, errors)
    paths: dict[str, str | None] = {}
    in_item = body.get("items") is not None
    paths["items"] = _path(body.get("items"), fmt, f"{key}.items", errors)
    for path_key in PATH_KEYS:
        paths[path_key] = _path(
            body.get(path_key), fmt, f"{key}.{path_key}", errors, in_item=in_item
        )
    if body.get("status") is None:
        errors.append(f"{key}.status: missing; give the path of the provider's status")
    if body.get("message_id") is None and body.get("client_ref") is None:
        errors.append(
            f"{key}: neither message_id nor client_ref is given; at least one of them must be, "
            "to tell which message an event is about"
        )
    if fmt == "form" and body.get("items") is not None:
        errors.append(f"{key}.items: a form has no lists; items is for json or xml only")
    statuses = _statuses(body.get("statuses"), f"{key}.statuses", errors)
    signature = _signature(body.get("signature"), f"{key}.signature", environ, errors)
    status = paths["status"]
    if len(errors) > before or fmt is None or status is None:
        return None
    return GenericDefinition(
        name=name,
        format=fmt,
        status=status,
        message_id=paths["message_id"],
        client_ref=paths["client_ref"],
        recipient=paths["recipient"],
        occurred_at=paths["occurred_at"],
        error_code=paths["error_code"],
        items=paths["items"],
        statuses=statuses,
        signature=signature,
    )


def _toml_key(key: str) -> str:
    """`key` as TOML writes it in a dotted key: bare if it can be, else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _shown(value: object) -> str:
    """A bad value for an error message: TOML types in TOML words, strings quoted."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _format(value: object, key: str, errors: list[str]) -> str | None:
    if value is None:
        errors.append(f"{key}.format: missing; expected form, json or xml")
        return None
    if not isinstance(value, str) or value.strip().lower() not in FORMATS:
        errors.append(f"{key}.format: expected form, json or xml, got {_shown(value)}")
        return None
    return value.strip().lower()


def _path(
    value: object, fmt: str | None, key: str, errors: list[str], *, in_item: bool = False
) -> str | None:
    """A path as written, if its syntax suits `fmt`; `in_item`: relative to an item."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{key}: expected a non-empty string path, got {_shown(value)}")
        return None
    path = value.strip()
    is_items = key.endswith(".items")
    if fmt == "json":
        if path == "." and is_items:
            return path
        if any(not step for step in path.split(".")):
            hint = ' (items = "." means the body itself is the list)' if is_items else ""
            errors.append(
                f"{key}: expected a dotted path such as data.id or results.0.id, got {path!r}"
                + hint
            )
            return None
    elif fmt == "xml":
        steps = path.removeprefix("/").split("/")
        if any(":" in step for step in steps):
            errors.append(
                f"{key}: namespace prefixes are not used (elements are matched by local name "
                f"in any namespace): write the path without them, got {path!r}"
            )
            return None
        attributes = [step for step in steps if step.startswith("@")]
        if (
            not all(_XML_STEP.fullmatch(step) for step in steps)
            or any(step.startswith("@") for step in steps[:-1])
            or (attributes and (is_items or (len(steps) == 1 and not in_item)))
        ):
            where = "below the item element" if in_item else "from the root"
            errors.append(
                f"{key}: expected element names separated by / {where}, e.g. "
                f"{'Id' if in_item else 'Receipt/Id'}"
                + ("" if is_items else ", optionally ending in @attribute")
                + f"; got {path!r}"
            )
            return None
    return path


def _statuses(value: object, key: str, errors: list[str]) -> tuple[tuple[str, Status], ...]:
    if value is None:
        errors.append(
            f"{key}: missing; map the provider's raw statuses to "
            f"{', '.join(STATUSES)} (anything unmapped is unknown)"
        )
        return ()
    if not isinstance(value, dict):
        errors.append(f"{key}: expected a table of raw status = status, got {_shown(value)}")
        return ()
    mapped: list[tuple[str, Status]] = []
    seen: dict[str, tuple[str, Status]] = {}
    for raw, target in value.items():
        raw_text = str(raw)
        if not raw_text.strip():
            errors.append(f"{key}: an empty raw status cannot be matched")
            continue
        if not isinstance(target, str) or target.strip().lower() not in STATUSES:
            errors.append(
                f"{key}.{_toml_key(raw_text)}: expected one of {', '.join(STATUSES)}, "
                f"got {_shown(target)}"
            )
            continue
        status = Status(target.strip().lower())
        folded = raw_text.strip().lower()
        earlier = seen.get(folded)
        if earlier is not None and earlier[1] is not status:
            errors.append(
                f"{key}.{_toml_key(raw_text)}: the same raw status as {earlier[0]!r} (compared "
                f"case-insensitively), mapped to {status.value} there and {earlier[1].value} here"
            )
            continue
        seen[folded] = (raw_text, status)
        mapped.append((raw_text, status))
    return tuple(mapped)


def _signature(
    value: object, key: str, environ: Mapping[str, str], errors: list[str]
) -> GenericSignature | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.append(f"{key}: expected a table, got {_shown(value)}")
        return None
    before = len(errors)
    for unknown in sorted(value.keys() - set(SIGNATURE_KEYS)):
        errors.append(
            f"{key}.{_toml_key(unknown)}: unknown key; expected {', '.join(SIGNATURE_KEYS)}"
        )
    header = value.get("header")
    if not isinstance(header, str) or not _HEADER.fullmatch(header.strip()):
        errors.append(
            f"{key}.header: expected the name of the HTTP header that carries the signature, "
            f"got {_shown(header) if header is not None else 'nothing'}"
        )
    algorithm = _choice(value.get("algorithm"), tuple(ALGORITHMS), f"{key}.algorithm", errors)
    encoding = _choice(value.get("encoding"), ENCODINGS, f"{key}.encoding", errors)
    prefix = value.get("prefix", "")
    if not isinstance(prefix, str):
        errors.append(f"{key}.prefix: expected a string, got {_shown(prefix)}")
    secret_env = value.get("secret_env")
    secrets: tuple[str, ...] = ()
    if not isinstance(secret_env, str) or not _ENV_NAME.fullmatch(secret_env.strip()):
        errors.append(
            f"{key}.secret_env: expected the name of the environment variable holding the "
            f"secret, got {_shown(secret_env) if secret_env is not None else 'nothing'}"
        )
    else:
        secret_env = secret_env.strip()
        raw = environ.get(secret_env, "")
        secrets = tuple(part.strip() for part in raw.split(",") if part.strip())
        if not secrets:
            errors.append(
                f"{key}.secret_env: {secret_env} is not set; set it to the provider's secret "
                "(comma-separated to rotate), or remove the signature table to accept this "
                "provider's callbacks on the URL token alone"
            )
    if len(errors) > before:
        return None
    assert isinstance(header, str) and isinstance(prefix, str) and isinstance(secret_env, str)
    assert algorithm is not None and encoding is not None
    return GenericSignature(
        header=header.strip(),
        algorithm=algorithm,
        encoding=encoding,
        secret_env=secret_env,
        prefix=prefix.strip(),
        secrets=secrets,
    )


def _choice(value: object, choices: tuple[str, ...], key: str, errors: list[str]) -> str | None:
    wanted = f"{', '.join(choices[:-1])} or {choices[-1]}"
    if value is None:
        errors.append(f"{key}: missing; expected {wanted}")
        return None
    if not isinstance(value, str) or value.strip().lower() not in choices:
        errors.append(f"{key}: expected {wanted}, got {_shown(value)}")
        return None
    return value.strip().lower()


# -- reading callbacks --------------------------------------------------------------------


class GenericAdapter(Adapter):
    """The adapter for one declaration; made by `generic_adapter`, which gives each declared
    provider a subclass of its own so that `slug`, `status_maps` and `keyed_by` stay class
    facts, as for every other adapter."""

    slug: ClassVar[str] = "generic"

    def __init__(self, definition: GenericDefinition) -> None:
        self.definition = definition
        self.lookup = {raw.strip().lower(): status for raw, status in definition.statuses}
        self.signature = definition.signature

    @property
    def verifies(self) -> bool:
        return self.signature is not None and bool(self.signature.secrets)

    def verify(self, request: Request) -> None:
        signature = self.signature
        if signature is None:
            return
        given = (request.header(signature.header) or "").strip()
        if not given:
            raise SignatureError(f"missing {signature.header} header")
        if signature.prefix:
            if given[: len(signature.prefix)].lower() != signature.prefix.lower():
                raise SignatureError("malformed signature: the expected prefix is missing")
            given = given[len(signature.prefix) :].strip()
        digest = ALGORITHMS[signature.algorithm]
        size = int(digest().digest_size)
        expected = hmac_digests(signature.secrets, request.body, digest)
        if signature.encoding == "hex":
            if len(given) != 2 * size or not re.fullmatch(r"[0-9a-fA-F]+", given):
                raise SignatureError(f"malformed signature: not a hex HMAC-{signature.algorithm}")
            matched = matches_any(given.lower(), [d.hex() for d in expected])
        else:
            decoded = _base64(given)
            if decoded is None or len(decoded) != size:
                raise SignatureError(
                    f"malformed signature: not a base64 HMAC-{signature.algorithm}"
                )
            matched = matches_any(decoded, expected)
        if not matched:
            raise SignatureError("wrong signature")

    def parse(self, payload: Payload) -> Normalized:
        definition = self.definition
        items = self._items(payload)
        events: list[DeliveryEvent] = []
        problem = ""
        for item in items:
            event = self._event(item)
            if isinstance(event, str):
                problem = problem or event
            else:
                events.append(event)
        if not events:
            if definition.items is None:
                raise PayloadError(f"{definition.name}: {problem}")
            if not items:
                raise PayloadError(f"{definition.name}: no items at {definition.items}")
            raise PayloadError(
                f"{definition.name}: no readable event among {len(items)} item(s) at "
                f"{definition.items}: {problem}"
            )
        return Normalized(events=tuple(events))

    def _items(self, payload: Payload) -> list[Any]:
        """The parts of the body each holding one event (the body itself without `items`)."""
        definition = self.definition
        if definition.format == "form":
            return [payload]
        if definition.format == "json":
            document = payload.json
            if document is None:
                raise PayloadError(f"{definition.name}: not a JSON body")
            if definition.items is None:
                return [document]
            found = document if definition.items == "." else _json_at(document, definition.items)
            if isinstance(found, list):
                return found
            if isinstance(found, dict):  # a single event where a list of one was expected
                return [found]
            raise PayloadError(f"{definition.name}: no list at {definition.items}")
        if payload.xml is None:
            raise PayloadError(f"{definition.name}: not an XML body")
        if definition.items is None:
            return [payload.xml]
        return _xml_elements(payload.xml, definition.items, from_root=True)

    def _text(self, item: Any, path: str | None) -> str | None:
        if path is None:
            return None
        if isinstance(item, Payload):
            return item.get(path)
        if isinstance(item, Element):
            return _xml_text(item, path, from_root=self.definition.items is None)
        return json_text(_json_at(item, path))

    def _event(self, item: Any) -> DeliveryEvent | str:
        """The event in `item`, or why there is none."""
        definition = self.definition
        raw_status = self._text(item, definition.status)
        if raw_status is None:
            return f"no status at {definition.status}"
        message_id = self._text(item, definition.message_id)
        client_ref = self._text(item, definition.client_ref)
        if message_id is None and client_ref is None:
            given = " or ".join(
                f"{name} ({path})"
                for name, path in (
                    ("message_id", definition.message_id),
                    ("client_ref", definition.client_ref),
                )
                if path
            )
            return f"no {given}"
        occurred_raw = self._text(item, definition.occurred_at)
        return DeliveryEvent(
            status=self.lookup.get(raw_status.lower(), Status.UNKNOWN),
            provider_status=raw_status,
            message_id=message_id,
            client_ref=client_ref,
            recipient=normalize_recipient(self._text(item, definition.recipient)),
            error_code=self._text(item, definition.error_code),
            occurred_at=_time(occurred_raw),
            occurred_at_raw=occurred_raw,
        )


def generic_adapter(definition: GenericDefinition) -> GenericAdapter:
    """The adapter for `definition`, as an instance of a subclass made for it."""
    parts = []
    if definition.message_id:
        parts.append(f"message id (`{definition.message_id}`)")
    if definition.client_ref:
        with_recipient = " and recipient" if definition.recipient else ""
        parts.append(f"client reference (`{definition.client_ref}`){with_recipient}")
    keyed_by = ", else ".join(parts)
    namespace = {
        "__slots__": (),
        "slug": definition.name,
        "status_maps": {definition.status: dict(definition.statuses)},
        "keyed_by": keyed_by,
    }
    name = "GenericAdapter_" + re.sub(r"\W", "_", definition.name)
    cls = cast(type[GenericAdapter], type(name, (GenericAdapter,), namespace))
    return cls(definition)


def _time(raw: str | None) -> datetime | None:
    """ISO-8601, or epoch seconds (milliseconds) when the value is a plain number."""
    if raw is None:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return parse_epoch(raw)
    return parse_iso(raw)


def _base64(text: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional."""
    cleaned = text.replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def _json_at(value: Any, path: str) -> Any:
    for step in path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isascii() and step.isdigit():
            index = int(step)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _xml_elements(start: Element, path: str, *, from_root: bool) -> list[Element]:
    """Every element `path` reaches from `start`: its first step names `start` itself if
    `from_root`, else one of its children."""
    steps = path.removeprefix("/").split("/")
    if from_root:
        if _local(start.tag) != steps[0]:
            return []
        steps = steps[1:]
    found = [start]
    for step in steps:
        found = [child for element in found for child in element if _local(child.tag) == step]
    return found


def _xml_text(item: Element, path: str, *, from_root: bool) -> str | None:
    element_path, _, attribute = path.partition("@")
    element_path = element_path.rstrip("/")
    if element_path:
        elements = _xml_elements(item, element_path, from_root=from_root)
    else:  # "@id" inside an item: the item's own attribute
        elements = [] if from_root else [item]
    if not elements:
        return None
    element = elements[0]
    if attribute:
        value = next((v for k, v in element.attrib.items() if _local(k) == attribute), None)
    else:
        value = element.text
    if value is None:
        return None
    return value.strip() or None
