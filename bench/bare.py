"""The ceiling: the receiver's HTTP surface with nothing behind it.

Same route shape, same body decoding (`receiver.providers.toolkit.payload.decode`), no token
check, no parse into records, no database. Run under the same uvicorn defaults as `receiver serve`:

    python -m uvicorn --factory bench.bare:create_app --port 8001 --no-access-log
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from receiver.providers.toolkit.payload import decode

__all__ = ["create_app"]


async def _callback(request: Request) -> Response:
    body = await request.body()
    decode(
        request.scope["query_string"].decode("latin-1"),
        request.headers.get("content-type"),
        body,
    )
    return PlainTextResponse("OK")


def create_app() -> Starlette:
    return Starlette(routes=[Route("/callbacks/{provider}/{token}", _callback, methods=["POST"])])
