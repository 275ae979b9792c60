"""Hostile callbacks: every provider's contract fixtures mutated, and bodies made up from scratch.

One generator serves both the property tests (tests/test_fuzz.py drives it with Hypothesis's
random, so failures shrink) and the long run against a real server (bench/fuzz.py, with
`random.Random`). It aims at what real gateways and attackers send: wrong or missing content
types, charsets that lie (UTF-7, UTF-16, bogus names), deep nesting, numbers no float holds,
lone UTF-16 surrogates (as JSON escapes, UTF-7 and raw UTF-8 bytes), NUL, truncation.
"""

from __future__ import annotations

import importlib
import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus

__all__ = [
    "CHARSETS",
    "MIMES",
    "Case",
    "CaseMaker",
    "contract_seeds",
    "deep_json",
    "safe_header",
    "safe_query",
]

ROOT = Path(__file__).resolve().parent.parent

FORM = "application/x-www-form-urlencoded"
MIMES: tuple[str | None, ...] = (
    FORM,
    "multipart/form-data",
    "application/json",
    "application/xml",
    "text/xml",
    "text/plain",
    None,
    # Wrong or odd ones: a gateway that mislabels, or a client that lies.
    "",
    "application/octet-stream",
    "text/html",
    "application/vnd.api+json",
    "application/soap+xml",
    "image/png",
    "*/*",
    ";",
    'x/y; a="unterminated',
)
CHARSETS = ("utf-8", "utf-7", "utf-16", "utf-16-le", "latin-1", "ascii", "bogus-charset", "")
#: Values that have broken parsers somewhere; str, so surrogates are possible.
STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "ab\udfff",
    "\ud83d",
    "\U0001f600",
    "\u202e",
    "\ufeff",
    "null",
    "true",
    "NaN",
    "-0",
    "1e999",
    "9" * 5000,
    "\u0663\u0664",
    "%00",
    "%ZZ",
    "+2AA-",
    "\r\n",
    "'; DROP TABLE callbacks; --",
    "<x>&amp;",
    "x" * 300,
    "2023-02-30T25:61:61Z",
    "99999999999999999999",
)
#: JSON number literals (and Python's extensions): overflow, underflow, past the digit limit.
NUMBERS = (
    "1e999",
    "-1e999",
    "1e-999",
    "-0",
    "0.0000000000000000000000001",
    "123456789012345678901234567890",
    "9" * 4300,
    "9" * 4301,
    "NaN",
    "Infinity",
    "-Infinity",
    "1.7976931348623157e308",
)
#: Byte strings spliced into bodies.
SPLICES = (
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xed\xa0\x80",  # U+D800 as (invalid) UTF-8
    b"\xc3",
    b"%",
    b"%ed%a0%80",
    b"&",
    b"=",
    b"{",
    b"}",
    b"[",
    b"]",
    b"<",
    b">",
    b'"',
    b"\\",
    b'"\\ud800"',
    b"+2AA-",
    b"\r\n",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
)
_QUERY_SAFE = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%"
)


@dataclass(frozen=True, slots=True)
class Case:
    """One request to `/callbacks/{slug}/{token}`."""

    slug: str
    method: str
    #: Query string without '?', safe to put on a request line as is.
    query: str
    content_type: str | None
    body: bytes
    #: How it was made ("seed", "bytes", "fields", ...): the figures are broken down by it.
    how: str


def safe_query(text: str) -> str:
    """`text` percent-encoded where a request line could not carry it (surrogates included)."""
    raw = text.encode("utf-8", "surrogatepass")
    return "".join(chr(b) if b in _QUERY_SAFE else f"%{b:02X}" for b in raw)


def safe_header(text: str) -> str:
    """`text` reduced to what any HTTP client sends in a header value (visible ASCII, space)."""
    return "".join(c for c in text if " " <= c <= "~").strip()


def contract_seeds() -> dict[str, tuple[Case, ...]]:
    """Every provider's contract fixtures (tests/test_providers_*.py), with each documented
    status swapped in, by slug."""
    for path in sorted((ROOT / "tests").glob("test_providers_*.py")):
        importlib.import_module(f"tests.{path.stem}")
    from tests.contract import Fixture, every_contract

    def case(slug: str, fixture: Fixture) -> Case:
        content_type = fixture.content_type
        return Case(slug, fixture.method, fixture.query, content_type, fixture.body, "seed")

    seeds: dict[str, list[Case]] = {}
    for contract in every_contract():
        found = seeds.setdefault(contract.slug, [])
        found.extend(case(contract.slug, fixture) for fixture in contract.fixtures)
        found.append(case(contract.slug, contract.wrong_shape))
        instance = contract()
        for raw, _ in contract.statuses:
            found.append(case(contract.slug, instance.with_status(raw)))
    return {slug: tuple(cases) for slug, cases in seeds.items()}


def deep_json(depth: int, rng: random.Random) -> bytes:
    """An array or object nested `depth` levels deep (closed or not)."""
    if rng.random() < 0.5:
        text = b"[" * depth + b"1" + b"]" * depth
    else:
        text = b'{"a":' * depth + b"1" + b"}" * depth
    return text if rng.random() < 0.9 else text[: len(text) // 2]


def _text(body: bytes) -> str:
    return body.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _form(pairs: Sequence[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote_plus(k.encode('utf-8', 'surrogatepass'))}="
        f"{quote_plus(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs
    )


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CaseMaker:
    """Makes cases for one slug at a time from `rng`; every body fits `max_body` (per slug)
    unless `oversize` (a share of cases) asks for one that does not."""

    def __init__(
        self,
        seeds: Mapping[str, Sequence[Case]],
        max_body: Mapping[str, int],
        *,
        oversize: float = 0.0,
    ) -> None:
        self.seeds = seeds
        self.max_body = max_body
        self.oversize = oversize
        self._mutations: tuple[tuple[str, Callable[[random.Random, Case], Case]], ...] = (
            ("bytes", self._mutate_bytes),
            ("fields", self._mutate_fields),
            ("json", self._mutate_json),
            ("retype", self._retype),
            ("charset", self._recharset),
            ("convert", self._convert),
            ("method", self._swap_method),
        )
        self._scratch: tuple[Callable[[random.Random, str], Case], ...] = (
            self._random_bytes,
            self._deep,
            self._huge_numbers,
            self._xml_tricks,
            self._many_fields,
            self._random_query,
        )

    def make(self, rng: random.Random, slug: str) -> Case:
        seeds = self.seeds.get(slug, ())
        roll = rng.random()
        if not seeds or roll < 0.15:
            case = rng.choice(self._scratch)(rng, slug)
        elif roll < 0.2:
            case = rng.choice(seeds)
        else:
            case = rng.choice(seeds)
            names = []
            for _ in range(1 + int(rng.random() < 0.3) + int(rng.random() < 0.1)):
                name, mutate = rng.choice(self._mutations)
                case = mutate(rng, case)
                names.append(name)
            case = replace(case, how="+".join(names))
        return self._fit(rng, case)

    def _fit(self, rng: random.Random, case: Case) -> Case:
        limit = self.max_body.get(case.slug, 65536)
        query = safe_query(case.query)[:4096]
        content_type = None if case.content_type is None else safe_header(case.content_type)
        body = case.body
        if self.oversize and rng.random() < self.oversize:
            body = (body or b"x") * (limit // max(1, len(body or b"x")) + 1)
            return Case(case.slug, case.method, query, content_type, body, "oversize")
        return Case(case.slug, case.method, query, content_type, body[:limit], case.how)

    # -- mutations of a seed ----------------------------------------------------------------

    def _mutate_bytes(self, rng: random.Random, case: Case) -> Case:
        on_query = not case.body and bool(case.query)
        data = bytearray(_bytes(case.query) if on_query else case.body)
        for _ in range(rng.randint(1, 6)):
            where = rng.randint(0, len(data))
            op = rng.randrange(6)
            if op == 0 and data:  # flip a byte
                data[min(where, len(data) - 1)] = rng.randrange(256)
            elif op == 1:
                data[where:where] = rng.choice(SPLICES)
            elif op == 2:
                data[where:where] = rng.randbytes(rng.randint(1, 16))
            elif op == 3:  # delete a span
                del data[where : where + rng.randint(1, 32)]
            elif op == 4:  # repeat a span
                span = bytes(data[where : where + rng.randint(1, 16)])
                data[where:where] = span * rng.choice((2, 10, 100, 1000))
            else:  # truncate
                del data[where:]
        if on_query:
            return replace(case, query=_text(bytes(data)))
        return replace(case, body=bytes(data))

    def _pairs(self, case: Case) -> list[tuple[str, str]]:
        """The seed's fields as pairs, whatever carries them."""
        pairs = parse_qsl(case.query, keep_blank_values=True)
        try:
            value = json.loads(case.body)
        except (ValueError, RecursionError):  # not JSON, or nested past what json.loads takes
            value = None
        if isinstance(value, dict):
            pairs += [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in value.items()]
        elif case.body and b"=" in case.body:
            pairs += parse_qsl(_text(case.body), keep_blank_values=True)
        elif case.body:
            pairs.append(("text", _text(case.body)))
        return pairs

    def _nasty(self, rng: random.Random, pairs: Sequence[tuple[str, str]]) -> str:
        roll = rng.random()
        if roll < 0.6:
            return rng.choice(STRINGS)
        if roll < 0.8 and pairs:  # another field's value, or a value grown
            return rng.choice(pairs)[1] * rng.choice((1, 2, 50))
        return "".join(
            chr(rng.choice((0, 0xD800, 0xDFFF, 0xFFFE, rng.randrange(0x110000))))
            for _ in range(rng.randint(1, 8))
        )

    def _mutate_fields(self, rng: random.Random, case: Case) -> Case:
        pairs = self._pairs(case)
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(5)
            if op == 0 and pairs:
                i = rng.randrange(len(pairs))
                pairs[i] = (pairs[i][0], self._nasty(rng, pairs))
            elif op == 1 and pairs:
                del pairs[rng.randrange(len(pairs))]
            elif op == 2 and pairs:  # the same name twice, with another value
                name = rng.choice(pairs)[0]
                pairs.insert(rng.randint(0, len(pairs)), (name, self._nasty(rng, pairs)))
            elif op == 3 and pairs:
                i = rng.randrange(len(pairs))
                name = pairs[i][0]
                pairs[i] = (rng.choice((name.lower(), name.upper(), name + " ", "")), pairs[i][1])
            else:
                pairs.append((rng.choice(STRINGS) or "extra", self._nasty(rng, pairs)))
        return self._encode(rng, case, pairs, self._format_of(case))

    def _format_of(self, case: Case) -> str:
        head = case.body.lstrip()[:1]
        if head in (b"{", b"["):
            return "json"
        if head == b"<":
            return "xml"
        if case.body:
            return "form"
        return "query"

    def _encode(
        self, rng: random.Random, case: Case, pairs: Sequence[tuple[str, str]], kind: str
    ) -> Case:
        if kind == "json":
            obj: dict[str, Any] = {}
            for k, v in pairs:
                obj[k] = v
            text = json.dumps(obj, ensure_ascii=rng.random() < 0.7)
            body = text.encode("utf-8", "surrogatepass")
            return replace(case, body=body, content_type=rng.choice(("application/json", None)))
        if kind == "xml":
            inner = "".join(f"<{k}>{_xml_escape(v)}</{k}>" for k, v in pairs)
            body = f"<?xml version='1.0'?><root>{inner}</root>".encode("utf-8", "surrogatepass")
            return replace(case, body=body, content_type=rng.choice(("application/xml", None)))
        if kind == "multipart":
            boundary = rng.choice(("b0undary", "x", "--", "a" * 70))
            parts = b"".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode(
                    "utf-8", "surrogatepass"
                )
                + v.encode("utf-8", "surrogatepass")
                + b"\r\n"
                for k, v in pairs
            )
            body = parts + (f"--{boundary}--\r\n".encode() if rng.random() < 0.9 else b"")
            declared = rng.choice((boundary, boundary, "other", ""))
            content_type = (
                f"multipart/form-data; boundary={declared}" if declared else ("multipart/form-data")
            )
            return replace(case, body=body, content_type=content_type)
        if kind == "query":
            return replace(
                case,
                method=rng.choice(("GET", "GET", "POST")),
                query=_form(pairs),
                body=b"",
                content_type=None,
            )
        return replace(
            case,
            body=_form(pairs).encode("ascii"),
            query="",
            content_type=rng.choice((FORM, FORM, None, "text/plain")),
        )

    def _mutate_json(self, rng: random.Random, case: Case) -> Case:
        try:
            value = json.loads(case.body)
        except (ValueError, RecursionError):
            return self._mutate_bytes(rng, case)
        literals: dict[str, str] = {}

        def nasty() -> Any:
            roll = rng.random()
            if roll < 0.3:
                marker = f"\x01{len(literals)}\x01"
                literals[marker] = rng.choice(NUMBERS)
                return marker
            if roll < 0.6:
                return rng.choice(STRINGS)
            if roll < 0.7:
                return json.loads(deep_json(rng.choice((2, 10, 50, 200)), rng))
            return rng.choice((None, True, False, [], {}, [1, "a"], {"": None}, 0, -1, 1.5))

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                items = list(node.items())
                if items and rng.random() < 0.5:
                    i = rng.randrange(len(items))
                    items[i] = (items[i][0], walk(items[i][1]))
                elif items and rng.random() < 0.3:
                    del items[rng.randrange(len(items))]
                else:
                    items.append((rng.choice(STRINGS), nasty()))
                return dict(items)
            if isinstance(node, list):
                if node and rng.random() < 0.7:
                    i = rng.randrange(len(node))
                    return [*node[:i], walk(node[i]), *node[i + 1 :]]
                return [*node, nasty()] if rng.random() < 0.5 else node * rng.choice((0, 2, 100))
            return nasty()

        try:
            mutated = walk(value)
            text = json.dumps(mutated, ensure_ascii=rng.random() < 0.8)
        except ValueError:  # a cut-off deep_json: leave the value as it was
            text = json.dumps(value)
        except RecursionError:  # nested nearly as deep as json.loads goes: mutate bytes instead
            return self._mutate_bytes(rng, case)
        for marker, literal in literals.items():
            text = text.replace(json.dumps(marker), literal)
        return replace(case, body=text.encode("utf-8", "surrogatepass"))

    def _retype(self, rng: random.Random, case: Case) -> Case:
        mime = rng.choice(MIMES)
        if mime is not None and rng.random() < 0.3:
            mime += f"; charset={rng.choice(CHARSETS)}"
        if mime is not None and mime.startswith("multipart") and rng.random() < 0.5:
            mime += "; boundary=b0undary"
        return replace(case, content_type=mime)

    def _recharset(self, rng: random.Random, case: Case) -> Case:
        text = _text(case.body) if case.body else _form(self._pairs(case))
        encoding = rng.choice(("utf-16", "utf-16-le", "utf-7", "latin-1", "utf-8"))
        body = text.encode(encoding, "surrogateescape" if encoding == "utf-8" else "replace")
        if encoding == "utf-7" and rng.random() < 0.5:
            body += b"+2AA-"  # a lone surrogate, as UTF-7 writes it
        declared = encoding if rng.random() < 0.6 else rng.choice(CHARSETS)
        mime = (case.content_type or FORM).split(";", 1)[0]
        content_type = f"{mime}; charset={declared}" if declared else mime
        return replace(case, body=body, content_type=content_type, method="POST")

    def _convert(self, rng: random.Random, case: Case) -> Case:
        kind = rng.choice(("json", "xml", "multipart", "query", "form"))
        return self._encode(rng, case, self._pairs(case), kind)

    def _swap_method(self, rng: random.Random, case: Case) -> Case:
        if case.method == "GET":
            return replace(
                case,
                method="POST",
                body=_bytes(case.query),
                query="",
                content_type=rng.choice((FORM, None)),
            )
        if rng.random() < 0.5:
            return replace(case, method="GET")  # a GET with a body
        return replace(case, method="GET", query=_text(case.body), body=b"", content_type=None)

    # -- made up from scratch ---------------------------------------------------------------

    def _random_bytes(self, rng: random.Random, slug: str) -> Case:
        body = rng.randbytes(rng.choice((0, 1, 16, 256, 4096)))
        return Case(slug, "POST", "", rng.choice(MIMES), body, "scratch-bytes")

    def _deep(self, rng: random.Random, slug: str) -> Case:
        depth = rng.choice((10, 100, 500, 900, 2000, 30000))
        if rng.random() < 0.6:
            body = deep_json(depth, rng)
            content_type = rng.choice(("application/json", None, "text/plain"))
        else:
            body = b"<a>" * depth + b"x" + b"</a>" * depth
            content_type = rng.choice(("application/xml", None))
        return Case(slug, "POST", "", content_type, body, "scratch-deep")

    def _huge_numbers(self, rng: random.Random, slug: str) -> Case:
        seeds = self.seeds.get(slug, ())
        keys = [k for case in seeds for k, _ in self._pairs(case)] or ["id", "status"]
        chosen = [rng.choice(keys) for _ in range(rng.randint(1, 6))]
        members = ", ".join(f"{json.dumps(k)}: {rng.choice(NUMBERS)}" for k in chosen)
        body = ("{" + members + "}").encode()
        return Case(
            slug, "POST", "", rng.choice(("application/json", None)), body, "scratch-numbers"
        )

    def _xml_tricks(self, rng: random.Random, slug: str) -> Case:
        bodies = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
            b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><r><id>&c;</id></r>',
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<r>&x;</r>",
            b'<?xml version="1.0" encoding="utf-7"?><r><id>+2AA-</id></r>',
            b'<?xml version="1.0" encoding="bogus"?><r/>',
            b"<r><id>\x00</id></r>",
            b"<r xmlns:a='u'><a:id>1</a:id><a:id>2</a:id></r>",
            "<r><id>\ud800</id></r>".encode("utf-8", "surrogatepass"),
            b"<r>" + b"<x/>" * 5000 + b"</r>",
        )
        return Case(
            slug,
            "POST",
            "",
            rng.choice(("application/xml", "text/xml", None)),
            rng.choice(bodies),
            "scratch-xml",
        )

    def _many_fields(self, rng: random.Random, slug: str) -> Case:
        count = rng.choice((100, 1000, 5000))
        pairs = [(rng.choice(("a", "id", "status", "")), rng.choice(STRINGS)) for _ in range(count)]
        return Case(
            slug, "POST", "", rng.choice((FORM, None)), _form(pairs).encode(), "scratch-fields"
        )

    def _random_query(self, rng: random.Random, slug: str) -> Case:
        pairs = [(rng.choice(STRINGS), rng.choice(STRINGS)) for _ in range(rng.randint(0, 8))]
        return Case(slug, "GET", _form(pairs), None, b"", "scratch-query")
