"""The verification page as a Starlette application.

``GET /`` serves the page; its script calls the JSON API:

- ``POST /api/verify`` (body: the document's JSON) — every check of the certificate framework's
  verifier (integrity, issuance on chain, store, not revoked, not suspended, validity dates,
  issuer from the participant directory), a one-word verdict and the reason of the first failed
  check, and what the document shows (hidden fields counted, never guessed);
- ``GET /api/cases`` — the deployed cases whose items have a timeline;
- ``GET /api/timeline/{case}?reference=…[&kind=…&filer=…]`` — an item's state and its steps
  from the event index, with the time of each block.

Every chain read runs on one worker thread that owns the client (its event index is a SQLite
connection of that thread); the event loop only waits. Nothing here signs: the client is built
without a keystore and the page never asks for a key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from govchain.chain import labels
from govchain.client import GovChain
from govchain.errors import ChainUnavailable, GovChainError, InputError
from govchain.framework.casebase import registry
from govchain.framework.casebase.history import describe
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.verification import VerificationResult

T = TypeVar("T")

#: The verdict a failed check gives, in the order the verifier runs them.
VERDICTS = {
    "integrity": "tampered",
    "issued": "not issued",
    "store": "wrong store",
    "not revoked": "revoked",
    "not suspended": "suspended",
    "validity dates": "out of its validity dates",
    "issuer": "issuer mismatch",
}


class Backend:
    """What the page asks of the chain, done on one thread that owns the client."""

    def __init__(self, connect: Callable[[], GovChain], *, timeline: bool = True) -> None:
        self._connect = connect
        self._gc: GovChain | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="govchain-web")
        self.timeline_enabled = timeline

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def gc(self) -> GovChain:
        if self._gc is None:
            self._gc = self._connect()
            self._gc.certificates.store.types()  # type names for the checks' details
        return self._gc

    # -- certificates ----------------------------------------------------------------------
    def verify(self, raw: bytes) -> dict[str, Any]:
        document = oa.parse_document(raw)
        result = self.gc.certificates.verify(document)
        return {**result.as_dict(), **_verdict(result), "document": _shown(document)}

    # -- case items ------------------------------------------------------------------------
    def cases(self) -> list[dict[str, Any]]:
        deployed = self.gc.book.contracts
        return [
            {
                "case": spec.name,
                "number": spec.number,
                "title": spec.title,
                "kinds": [{"name": k.name, "label": k.label} for k in spec.kinds],
            }
            for spec in registry.cases()
            if spec.number >= 1 and spec.contract in deployed
        ]

    def timeline(self, case: str, reference: str, kind: str, filer: str) -> dict[str, Any]:
        if not self.timeline_enabled:
            raise InputError("Timelines are turned off on this server.")
        names = {c["case"] for c in self.cases()}
        if case not in names:
            raise InputError(
                f"There is no case '{case}' here (one of: {', '.join(sorted(names))})."
            )
        client = self.gc.case(case)
        spec = client.spec
        k = spec.kind(kind) if kind else spec.primary
        owner = self.gc.address(filer) if filer else None
        record = client.get(reference, k, filer=owner)
        events = client.history(reference, k, filer=owner)
        times = self.gc.chain.block_times(e.block_number for e in events)
        steps = []
        for event in events:
            step = describe(spec, event)
            when = times.get(step.block)
            steps.append(
                {
                    **step.as_dict(),
                    "byName": labels.describe(step.by) if step.by else "",
                    "time": when.isoformat() if when else None,
                }
            )
        return {
            "case": case,
            "kind": k.name,
            "label": k.label,
            "reference": reference,
            "state": record.state,
            "filer": labels.describe(record.filer),
            "updated": record.updated_at.isoformat(),
            "steps": steps,
        }


def _verdict(result: VerificationResult) -> dict[str, Any]:
    failed = [c for c in result.checks if not c.ok]
    if not failed:
        return {"verdict": "valid", "reason": ""}
    first = failed[0]
    return {"verdict": VERDICTS.get(first.name, first.name), "reason": first.detail}


def _shown(document: dict[str, Any]) -> dict[str, Any]:
    """What the holder shows of the document (salts removed); what they hid is only counted."""
    try:
        data = oa.get_data(document)
    except GovChainError:
        data = {}
    issuers = [i.get("name", "") for i in data.get("issuers", []) if isinstance(i, dict)]
    holder = _object(data.get("holder"))
    fields = _object(data.get("fields"))
    return {
        "name": data.get("name", ""),
        "type": data.get("certificateType", ""),
        "id": data.get("id", ""),
        "issuedOn": data.get("issuedOn", ""),
        "validFrom": data.get("validFrom", ""),
        "validUntil": data.get("validUntil", ""),
        "issuers": issuers,
        "holder": holder.get("id", ""),
        "fields": fields,
        "hiddenFields": oa.hidden_count(document),
    }


def _object(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def create_app(backend: Backend) -> Starlette:
    """The page and its API over ``backend``."""
    here = files("govchain.web")
    page = (here / "page.html").read_text(encoding="utf-8")
    script = (here / "page.js").read_text(encoding="utf-8")

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=_SECURITY_HEADERS)

    async def page_script(request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers=_SECURITY_HEADERS)

    async def verify(request: Request) -> Response:
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > oa.MAX_DOCUMENT_BYTES:
                return _error(413, f"A document is at most {oa.MAX_DOCUMENT_BYTES:,} bytes.")
        if not raw.strip():
            return _error(400, "Drop or paste a document first.")
        return await _answer(backend.run(backend.verify, bytes(raw)))

    async def cases(request: Request) -> Response:
        return await _answer(backend.run(backend.cases))

    async def timeline(request: Request) -> Response:
        q = request.query_params
        reference = q.get("reference", "").strip()
        if not reference:
            return _error(400, "Give the item's reference (?reference=…).")
        return await _answer(
            backend.run(
                backend.timeline,
                request.path_params["case"],
                reference,
                q.get("kind", ""),
                q.get("filer", "").strip(),
            )
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/", index),
            Route("/page.js", page_script),
            Route("/api/verify", verify, methods=["POST"]),
            Route("/api/cases", cases),
            Route("/api/timeline/{case}", timeline),
            Route("/healthz", health),
        ],
        lifespan=_lifespan(backend),
    )


def _lifespan(backend: Backend) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        backend.close()

    return lifespan


#: The page loads nothing from elsewhere and may not be framed.
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def _answer(work: Any) -> Response:
    """The work's result as JSON; a GovChain error as a one-line message (400 for the caller's
    input, 503 when the chain cannot be reached), never a traceback."""
    try:
        return JSONResponse(await work)
    except ChainUnavailable as exc:
        return _error(503, exc.message)
    except GovChainError as exc:
        return _error(400, exc.message)


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)
