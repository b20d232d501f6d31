"""`sitroom serve`: the database as a web app and a JSON API (FastAPI).

Every page has a JSON twin under ``/api`` (the same path and query), linked from the page as
``<link rel="alternate" type="application/json">``. The server is read-only unless it was given a
token: with none, write endpoints answer 403; with one, a request without it (``Authorization: Bearer
TOKEN``) or with a wrong one gets 401. Pages carry no inline script or style, and the Content Security
Policy forbids them; article text and every field reach the page as text, never as markup.
"""

import datetime as dt
import hmac
import io
import json
import re
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TextIO
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom import __version__
from sitroom.errors import SitroomError
from sitroom.export import EventFormat, IncidentFormat, country_code, write_events, write_incidents
from sitroom.model import EventType, Incident, Record, Status
from sitroom.store import EVENT_SORTS, EventFilter, Store, is_postgres_url, open_reader, open_store

#: the most rows one JSON page gives; exports (csv, jsonl, geojson) may ask for up to MAX_EXPORT
MAX_PAGE = 500
MAX_EXPORT = 10_000
#: the largest request body accepted, in bytes, and the longest text /api/extract and /api/ingest take
MAX_BODY = 1_000_000
MAX_TEXT = 200_000
#: how long a request waits for the extractor another request is using before it is told to retry
BUSY_WAIT = 10.0

_HERE = Path(__file__).parent
_FILTER_KEYS = ("since", "until", "country", "admin1", "event_type", "actor", "status", "claimant", "q")
_FORMATS = Literal["json", "jsonl", "csv", "geojson"]
_MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv", "geojson": "application/geo+json"}


class TooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes; send a shorter text")


class Guard:
    """Security headers on every response, and a cap on request bodies (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_body: int, csp: str) -> None:
        self.app, self.max_body = app, max_body
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and not declared.isdigit():
            await self._reply(send_guarded, 400, "Content-Length must be a number of bytes")
            return
        if declared is not None and int(declared) > self.max_body:
            await self._too_large(send_guarded)
            return
        received = 0

        async def receive_capped() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge(self.max_body)
            return message

        try:
            await self.app(scope, receive_capped, send_guarded)
        except TooLarge:
            if not started:
                await self._too_large(send_guarded)
        except Exception:
            # a bug: logged with its traceback, answered 500 with the same security headers
            traceback.print_exc(file=sys.stderr)
            if not started:
                await self._reply(send_guarded, 500, "internal error; the server log has the details")

    async def _too_large(self, send: Send) -> None:
        await self._reply(send, 413, f"request body over {self.max_body} bytes; send a shorter text")

    async def _reply(self, send: Send, status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class TextIn(BaseModel):
    """A report to extract (or to store, for /api/ingest)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the report's text")
    published: dt.date | None = Field(
        default=None,
        ge=dt.date(1800, 1, 1),
        le=dt.date(2200, 12, 31),
        description="publication date, YYYY-MM-DD",
    )
    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,199}$",
        description="document id: letters, digits and . _ : - not starting with a dot (default: a hash)",
    )
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=200, description="the outlet")


class Ingested(BaseModel):
    id: str
    stored: bool = Field(description="false when the document (or its text or url) was already stored")


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = Field(default=None, description="the next page's URL, when there is one")


class EventsPage(Page):
    events: list[dict[str, Any]]


class IncidentsPage(Page):
    incidents: list[Incident]


class DocumentsPage(Page):
    documents: list[dict[str, Any]]


class EntitiesPage(Page):
    entities: list[dict[str, Any]]


class AttributionsPage(Page):
    attributions: list[dict[str, Any]]


class Pipeline:
    """The extraction pipeline, loaded on first use and used by one request at a time."""

    def __init__(self) -> None:
        self._ctx: Any = None
        self._lock = threading.Lock()

    def run(self, body: TextIn) -> tuple[Record, str]:
        from sitroom import pipeline

        if not self._lock.acquire(timeout=BUSY_WAIT):
            raise HTTPException(
                503, "the extractor is busy with other texts; retry shortly", {"Retry-After": "5"}
            )
        try:
            if self._ctx is None:
                self._ctx = pipeline.Context()
            draft = pipeline.make_draft(
                body.text,
                published=body.published,
                id=body.id,
                url=body.url,
                title=body.title,
                source=body.source,
            )
            draft = pipeline.run_stages(draft, self._ctx)
            return pipeline.to_record(draft, with_text=True), draft.text
        finally:
            self._lock.release()


def _csp(tiles: str | None) -> str:
    images = "'self' data:"
    if tiles:
        parts = urlsplit(tiles)
        host = parts.netloc.replace("{s}", "*")
        if parts.scheme not in {"http", "https"} or not re.fullmatch(r"[A-Za-z0-9.*:-]+", host):
            raise SitroomError(
                "E602",
                f"cannot use {tiles!r} as a tile URL",
                "give an http(s) URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            )
        images += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


def create_app(
    db: str | Path,
    token: str | None = None,
    *,
    tiles: str | None = None,
    max_body: int = MAX_BODY,
    hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The web app over the database at ``db`` (read-only unless ``token`` is set; ``tiles``: an online
    tile URL template such as ``https://tile.openstreetmap.org/{z}/{x}/{y}.png`` under the outlines)."""
    db = str(db)
    app = FastAPI(
        title="sitroom",
        version=__version__,
        description="Sourced conflict-event records: documents, events, incidents, entities and who says "
        "what. Every page of the web app has its JSON twin here. Writes need the server's token.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.filters["seg"] = lambda value: quote(str(value), safe="")  # one path segment
    pipe = app.state.pipeline = Pipeline()
    if token is None and not is_postgres_url(db) and not Path(db).exists():
        raise SitroomError(
            "E601",
            f"no database at {db}",
            "run `sitroom ingest FILES` first (or `make demo`), pass --db, "
            "or start with --token to accept ingests",
        )
    if token is not None:
        open_store(db).close()
    elif is_postgres_url(db):
        open_store(db, create=False).close()  # an unreachable server or a database sitroom never wrote
    # reports stored with --no-group are grouped before anyone reads incidents
    try:
        with open_store(db) as s:
            try:
                s.group_incidents()
            except s.conn.Error as exc:  # sqlite3's or psycopg's
                raise SitroomError("E202", f"cannot group the reports in {s.path} ({exc})", "") from None
    except (SitroomError, sqlite3.Error) as exc:
        # a database on a read-only disk still serves what was grouped at ingest
        print(f"warning: reports not grouped into incidents yet stay ungrouped ({exc})", file=sys.stderr)

    def reading() -> Iterator[Store]:
        try:
            store = open_reader(db, any_thread=True)
        except SitroomError as exc:
            raise HTTPException(503, f"{exc.message}; {exc.hint}") from None
        try:
            yield store
        finally:
            store.close()

    Reading = Annotated[Store, Depends(reading)]

    def writer(request: Request) -> None:
        if not token:
            raise HTTPException(
                403, "this server is read-only: start it with --token (or SITROOM_TOKEN) to accept writes"
            )
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                401,
                "missing or wrong token: send 'Authorization: Bearer TOKEN'",
                {"WWW-Authenticate": "Bearer"},
            )

    @app.exception_handler(SitroomError)
    async def _sitroom_error(request: Request, exc: SitroomError) -> JSONResponse:
        return JSONResponse({"detail": f"{exc.message}; {exc.hint}", "code": exc.code}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    # --- shared query parameters ---------------------------------------------------------------------------

    def event_filter(
        since: Annotated[dt.date | None, Query(description="on or after, YYYY-MM-DD")] = None,
        until: Annotated[dt.date | None, Query(description="on or before, YYYY-MM-DD")] = None,
        country: Annotated[str | None, Query(max_length=80, description="name or ISO code")] = None,
        admin1: Annotated[str | None, Query(max_length=200)] = None,
        event_type: Annotated[str | None, Query(max_length=80, description="type or sub-type")] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        status: Status | None = None,
        claimant: Annotated[
            str | None, Query(max_length=200, description="who the event's claims cite")
        ] = None,
        q: Annotated[
            str | None, Query(max_length=500, description="full-text search of the documents")
        ] = None,
    ) -> EventFilter:
        return EventFilter(
            since,
            until,
            country_code(country) if country else None,
            admin1 or None,
            event_type or None,
            actor or None,
            str(status) if status else None,
            claimant or None,
            q or None,
        )

    Filter = Annotated[EventFilter, Depends(event_filter)]
    Limit = Annotated[
        int, Query(ge=1, le=MAX_EXPORT, description=f"rows per page (at most {MAX_PAGE} as json)")
    ]
    Offset = Annotated[int, Query(ge=0, le=10**9)]
    PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"rows per page (at most {MAX_PAGE})")]

    def _page_limit(limit: int, fmt: str) -> int:
        if fmt == "json" and limit > MAX_PAGE:
            raise HTTPException(
                422, f"limit is at most {MAX_PAGE} for json; use format=jsonl, csv or geojson"
            )
        return limit

    def _paged(request: Request, total: int, limit: int, offset: int, key: str, rows: Any) -> dict[str, Any]:
        """One page of a listing: its rows under ``key``, the total and the next page's URL."""
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "next": _next(request, total, limit, offset),
            key: rows,
        }

    def _next(request: Request, total: int, limit: int, offset: int) -> str | None:
        if offset + limit >= total:
            return None
        params = dict(request.query_params)
        params["offset"] = str(offset + limit)
        return f"{request.url.path}?{urlencode(params)}"

    def _incidents(store: Store, flt: EventFilter) -> list[Incident]:
        from sitroom import incidents as grouping

        found = grouping.read(store.conn, str(flt.since) if flt.since else None, flt.country)
        out = []
        for inc in found:
            day = (inc.date.value or inc.first_reported or "")[:10]
            if flt.until and day and day > str(flt.until):
                continue
            if flt.event_type and flt.event_type.lower() not in {
                inc.event_type.lower(),
                inc.sub_event_type.lower(),
            }:
                continue
            if flt.status and inc.status != flt.status:
                continue
            if flt.admin1 and (inc.location.admin1 or "").lower() != flt.admin1.lower():
                continue
            if flt.actor and not any(
                flt.actor.lower() in (a or "").lower() for a in (inc.actor1, inc.actor2)
            ):
                continue
            out.append(inc)
        if flt.q or flt.claimant:
            # full-text search and the claimant select events: an incident qualifies by its own events
            picked = EventFilter(claimant=flt.claimant, q=flt.q)
            events = {(r.document.id, r.event.id) for r in store.events(where=picked)}
            out = [inc for inc in out if any((r.document, r.event) in events for r in inc.reports)]
        return out

    # --- API -----------------------------------------------------------------------------------------------

    @app.get("/api/events", tags=["api"], response_model=EventsPage, summary="Stored events, filtered")
    def api_events(
        request: Request,
        store: Reading,
        flt: Filter,
        sort: Literal[tuple(EVENT_SORTS)] = "date",  # type: ignore[valid-type]
        limit: Limit = 100,
        offset: Offset = 0,
        format: _FORMATS = "json",
    ) -> Any:
        """Events with their documents. ``format``: json (a page), jsonl, csv (ACLED columns; cells a
        spreadsheet would run as formulas are neutralised) or geojson."""
        limit = _page_limit(limit, format)
        rows = store.events(where=flt, sort=sort, limit=limit, offset=offset)
        if format == "json":
            total = store.count_events(flt)
            return _paged(request, total, limit, offset, "events", [r.to_dict() for r in rows])
        return _export(format, "events", lambda out: write_events(rows, EventFormat(format), out))

    @app.get("/api/incidents", tags=["api"], response_model=IncidentsPage, summary="Incidents, filtered")
    def api_incidents(
        request: Request,
        store: Reading,
        flt: Filter,
        limit: Limit = 100,
        offset: Offset = 0,
        format: _FORMATS = "json",
    ) -> Any:
        """Incidents (many reports of one event merged), oldest first, with the events' filters."""
        limit = _page_limit(limit, format)
        found = _incidents(store, flt)
        page = found[offset : offset + limit]
        if format == "json":
            return _paged(
                request, len(found), limit, offset, "incidents", [i.model_dump(mode="json") for i in page]
            )
        return _export(format, "incidents", lambda out: write_incidents(page, IncidentFormat(format), out))

    @app.get(
        "/api/incidents/{incident_id:path}", tags=["api"], response_model=Incident, summary="One incident"
    )
    def api_incident(incident_id: str, store: Reading) -> Any:
        return _incident(store, incident_id).model_dump(mode="json")

    @app.get("/api/documents", tags=["api"], response_model=DocumentsPage, summary="Stored documents")
    def api_documents(
        request: Request,
        store: Reading,
        q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
        limit: PageLimit = 50,
        offset: Offset = 0,
    ) -> Any:
        total, rows = store.documents(q, limit, offset)
        return _paged(request, total, limit, offset, "documents", rows)

    @app.get(
        "/api/documents/{document_id:path}",
        tags=["api"],
        response_model=Record,
        summary="One document's record",
    )
    def api_document(document_id: str, store: Reading) -> Any:
        """The stored record, with ``document.text`` (the text its offsets index) when kept."""
        return _record(store, document_id).model_dump(mode="json")

    @app.get("/api/entities", tags=["api"], response_model=EntitiesPage, summary="Named entities")
    def api_entities(
        request: Request,
        store: Reading,
        q: Annotated[str | None, Query(max_length=200, description="part of the name")] = None,
        kind: Annotated[str | None, Query(max_length=40)] = None,
        limit: PageLimit = 50,
        offset: Offset = 0,
    ) -> Any:
        total, rows = store.entities(q, kind, limit, offset)
        return _paged(request, total, limit, offset, "entities", rows)

    @app.get("/api/attributions", tags=["api"], response_model=AttributionsPage, summary="Who says what")
    def api_attributions(
        request: Request,
        store: Reading,
        source: Annotated[str | None, Query(max_length=200, description="part of the source's name")] = None,
        stance: Annotated[str | None, Query(max_length=40)] = None,
        document: Annotated[str | None, Query(max_length=200)] = None,
        limit: PageLimit = 50,
        offset: Offset = 0,
    ) -> Any:
        total, rows = store.attributions(source, stance, document, limit, offset)
        return _paged(request, total, limit, offset, "attributions", rows)

    @app.post(
        "/api/extract", tags=["api"], response_model=Record, summary="Extract a posted report (not stored)"
    )
    def api_extract(body: TextIn) -> Any:
        """Run the pipeline on the posted text and return its record (with the text); nothing is stored."""
        record, _ = pipe.run(body)
        return record.model_dump(mode="json")

    @app.post(
        "/api/ingest",
        tags=["api"],
        response_model=Ingested,
        summary="Extract and store a report (needs the token)",
        dependencies=[Depends(writer)],
    )
    def api_ingest(body: TextIn) -> Any:
        """Store a report (and group it into its incident). Re-posting the same text or url stores nothing."""
        record, normalised = pipe.run(body)
        record.document.text = None
        with open_store(db) as store:
            found = store.find(record.document.id, body.text, body.url)
            if found is not None:
                store.add_alias(record.document.id, found)
                return {"id": found, "stored": False}
            added = store.add(record, body.text, body=normalised)
        return {"id": record.document.id, "stored": added}

    @app.get("/api/health", tags=["api"], summary="Liveness, version and row counts")
    def api_health(store: Reading) -> dict[str, Any]:
        return {"ok": True, "version": __version__, "read_only": not token, "counts": store.counts()}

    def _record(store: Store, document_id: str) -> Record:
        if store.resolve(document_id) is None:
            raise HTTPException(404, f"no document {document_id!r}")
        record = store.record(document_id)
        record.document.text = store.text(document_id)
        return record

    def _incident(store: Store, incident_id: str) -> Incident:
        from sitroom import incidents as grouping

        found = grouping.read_one(store.conn, incident_id)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return found

    # --- pages ---------------------------------------------------------------------------------------------

    def _filters(request: Request) -> dict[str, str]:
        """The request's filter parameters (no paging or format): what exports and the map's data share."""
        return {k: v for k, v in request.query_params.items() if k in _FILTER_KEYS and v}

    def _twin(request: Request) -> str:
        path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        if path == "/docs":
            return "/openapi.json"
        if path == "/paste":
            return "/api/extract"  # POST the text as JSON: {"text": ...}
        query = f"?{request.url.query}" if request.url.query else ""
        return f"/api{path if path != '/' else '/incidents'}{query}"

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request, name, {"twin": _twin(request), "tiles": tiles or "", "read_only": not token, **context}
        )

    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="Map and timeline of incidents")
    def map_page(request: Request, store: Reading, flt: Filter) -> HTMLResponse:
        return page(
            request,
            "map.html",
            flt=flt,
            types=[t.value for t in EventType],
            total=len(_incidents(store, flt)),
            geojson="/api/incidents?"
            + urlencode({**_filters(request), "format": "geojson", "limit": str(MAX_EXPORT)}),
        )

    @app.get("/incidents", response_class=HTMLResponse, tags=["pages"], summary="Incidents (the map page)")
    def incidents_page(request: Request, store: Reading, flt: Filter) -> HTMLResponse:
        return map_page(request, store, flt)

    @app.get(
        "/incidents/{incident_id:path}", response_class=HTMLResponse, tags=["pages"], summary="One incident"
    )
    def incident_page(request: Request, incident_id: str, store: Reading) -> HTMLResponse:
        inc = _incident(store, incident_id)
        contradicted = {c.field for c in inc.contradictions}
        return page(request, "incident.html", inc=inc, contradicted=contradicted)

    @app.get("/events", response_class=HTMLResponse, tags=["pages"], summary="Events table")
    def events_page(
        request: Request,
        store: Reading,
        flt: Filter,
        limit: PageLimit = 100,
        offset: Offset = 0,
        sort: Literal[tuple(EVENT_SORTS)] = "date",  # type: ignore[valid-type]
    ) -> HTMLResponse:
        rows = store.events(where=flt, sort=sort, limit=limit, offset=offset)
        total = store.count_events(flt)
        return page(
            request,
            "events.html",
            rows=rows,
            total=total,
            flt=flt,
            types=[t.value for t in EventType],
            offset=offset,
            limit=limit,
            next=_next(request, total, limit, offset),
            exports={
                f: "/api/events?" + urlencode({**_filters(request), "format": f, "limit": str(MAX_EXPORT)})
                for f in ("csv", "jsonl", "geojson")
            },
        )

    @app.get("/documents", response_class=HTMLResponse, tags=["pages"], summary="Documents, searchable")
    def documents_page(
        request: Request,
        store: Reading,
        q: Annotated[str | None, Query(max_length=500)] = None,
        offset: Offset = 0,
    ) -> HTMLResponse:
        total, rows = store.documents(q, 50, offset)
        return page(
            request,
            "documents.html",
            rows=rows,
            total=total,
            q=q or "",
            next=_next(request, total, 50, offset),
        )

    @app.get(
        "/documents/{document_id:path}", response_class=HTMLResponse, tags=["pages"], summary="One document"
    )
    def document_page(request: Request, document_id: str, store: Reading) -> HTMLResponse:
        record = _record(store, document_id)
        return page(request, "document.html", record=record, doc=record.document)

    @app.get("/paste", response_class=HTMLResponse, tags=["pages"], summary="Paste a report, see its record")
    def paste_page(request: Request) -> HTMLResponse:
        return page(request, "paste.html", max_text=MAX_TEXT)

    @app.get("/docs", response_class=HTMLResponse, tags=["pages"], summary="The API, browsable (Swagger UI)")
    def docs_page(request: Request) -> HTMLResponse:
        return page(request, "docs.html")

    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    def _export(fmt: str, name: str, write: Callable[[TextIO], object]) -> Response:
        """An export written by sitroom's own writers (the CLI's), as a response of its media type."""
        out = io.StringIO()
        write(out)
        headers = {"content-disposition": f'attachment; filename="{name}.csv"'} if fmt == "csv" else None
        return Response(out.getvalue(), media_type=_MEDIA[fmt], headers=headers)

    if hosts:
        # a server on 127.0.0.1 answers only to its own names: a web page cannot reach it by DNS rebinding
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    app.add_middleware(Guard, max_body=max_body, csp=_csp(tiles))
    return app
