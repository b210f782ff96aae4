"""Tell WebSub hubs, IndexNow and weblogUpdates services what changed: once, reliably, from cron.

What each target has acknowledged lives in a SQLite file. A notification is owed while what is
published differs from it, and is recorded in its own transaction as soon as it is delivered, so a
run killed at any moment loses nothing owed and resends at most the one request in flight.
"""

from __future__ import annotations

import functools
import json
import random
import sqlite3
import time
import xmlrpc.client
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
import urllib3

from feedpub import __version__
from feedpub.bounded import StillRunning, within
from feedpub.errors import ConfigError, PingError, one_line
from feedpub.models import FeedRef, Published, Site
from feedpub.publish.served import check_indexnow_key, key_file_bytes
from feedpub.state.pings import Kind, PingState, state_error
from feedpub.urls import to_uri

ATTEMPTS = 3  # per request, the first try included
BACKOFF = 0.5  # seconds; retry n waits a random time up to BACKOFF * 2**n ("full jitter")
MAX_PARALLEL = 4
INDEXNOW_BATCH = 10_000  # IndexNow: at most 10,000 URLs per request
FIRST_CONTACT_PAGES = 20  # IndexNow forbids backfill: a new endpoint hears of the home page and these
_FORM = "application/x-www-form-urlencoded"
REPLY_BYTES = 64 * 1024  # of a reply's body read at most: an XML-RPC answer fits; a flood is cut off
PREVIOUS_BYTES = 64 * 1024 * 1024  # of the live published state: ~100 bytes a page, so 100k pages fit in 10 MB
_REPLY_LIMIT = 200  # characters of a server's (or library's) message kept in a one-line result
# 400/403/422 are our mistakes (IndexNow "Response format"): report them, do not retry.
_INDEXNOW_REFUSALS = {
    400: "bad request format",
    403: "key not valid: {key_location} is missing or does not hold exactly the key",
    422: "URLs not on host {host}, or the key is not valid for it",
}


@dataclass(frozen=True)
class PingResult:
    """What one target was owed and what became of it."""

    target: str
    kind: Kind
    ok: bool
    sent: int  # items of `planned` delivered: feeds (websub), URLs (indexnow), calls (xmlrpc, url)
    detail: str  # one line
    planned: tuple[str, ...] = ()  # what is (or was) to be sent


@dataclass(frozen=True)
class PingReport:
    results: tuple[PingResult, ...]

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    def to_json(self) -> dict[str, object]:
        results = [asdict(r) | {"planned": list(r.planned)} for r in self.results]
        return {"ok": self.ok, "results": results}


def ping(
    site: Site,
    published: Published,
    *,
    state_path: Path,
    key: str | None,
    session: requests.Session | None = None,
    dry_run: bool = False,
    clock: Callable[[], float] = time.monotonic,
    previous: Published | None = None,
) -> PingReport:
    """Send every target what it is owed, in parallel and within `site.ping.deadline`.

    One target's failure is a result, not an exception: it stays owed for the next run. Raises
    ConfigError for a malformed key and OutputError when the state file cannot be used. When there was no state
    file, `previous` (what the site published before, `[ping] previous`) is taken as acknowledged by every
    target: only what changed since is sent.
    """
    if key is not None:
        check_indexnow_key(key)
    settings = site.ping
    jobs: list[tuple[Callable[[_Run, str], PingResult], str]] = [
        *((_websub, hub) for hub in settings.websub_hubs),
        *([(_indexnow, settings.indexnow_endpoint)] if settings.indexnow_endpoint else []),
        *((_xmlrpc, server) for server in settings.xmlrpc),
        *((_get, template) for template in settings.urls),
    ]
    if not jobs:
        return PingReport(())
    deadline = clock() + settings.deadline
    state = PingState.open(state_path, readonly=dry_run)
    try:
        if state.fresh and previous is not None and previous.site_url == published.site_url:
            pages = {p.url: p.fingerprint for p in previous.pages}
            for job, target in jobs:
                kind: Kind = _KINDS[job]
                state.ack(kind, target, previous.feeds, pages if kind == "indexnow" else {})
        with (
            nullcontext(session) if session is not None else requests.Session() as http,
            ThreadPoolExecutor(min(MAX_PARALLEL, len(jobs)), "feedpub-ping") as pool,
        ):
            run = _Run(site, published, state, http, key, dry_run, clock, deadline, _user_agent(site))
            futures = [pool.submit(job, run, target) for job, target in jobs]
            return PingReport(tuple(future.result() for future in futures))
    except sqlite3.Error as exc:
        raise state_error(state_path, exc) from exc
    finally:
        state.close()


class _Undelivered(Exception):
    """A request was not delivered; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class _Run:
    """What every target's worker shares during one ping() call."""

    site: Site
    published: Published
    state: PingState
    session: requests.Session
    key: str | None
    dry_run: bool
    clock: Callable[[], float]
    deadline: float  # a reading of `clock`
    user_agent: str

    def changed_feeds(self, kind: Kind, target: str) -> list[FeedRef]:
        acked = self.state.feeds(kind, target)
        return [feed for feed in self.published.feeds if acked.get(feed.url) != feed.digest]

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        *,
        answer_in_body: bool = False,
    ) -> requests.Response:
        """Send one request, retrying connection errors, 429 and 5xx within the deadline.

        Returns any other response, for the caller to judge; raises _Undelivered otherwise. A 2xx reply whose body
        broke off is returned as delivered (its status is the answer), unless `answer_in_body` (XML-RPC's).
        """
        timeout = self.site.ping.timeout
        headers = {"User-Agent": self.user_agent}
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(ATTEMPTS):
            left = self.deadline - self.clock()
            if left <= 0:
                raise _Undelivered("deadline exceeded")
            limit = min(timeout, left)  # no request may outlive the stage's deadline
            try:
                response, broken = within(
                    limit + _GRACE,  # the whole request: a reply trickling in a byte a second held it to the deadline
                    functools.partial(
                        _capped_request,
                        self.session,
                        method,
                        url,
                        data=body,
                        headers=headers,
                        timeout=(limit, limit),
                        allow_redirects=False,  # requests would turn a redirected POST into a GET
                    ),
                    "feedpub-request",
                )
            except StillRunning as exc:
                why = f"the reply was still arriving after {limit:.3g} s"
                raise _Undelivered(f"deadline exceeded ({why})" if limit < timeout else why) from exc
            except requests.ConnectionError as exc:  # refused, reset, DNS, connect timeout
                reason, wait = _os_reason(exc), _backoff(attempt)
            except requests.Timeout as exc:
                # The server took the request and stalled: a resend would most likely stall too.
                why = f"no reply within {limit:.3g} s"
                raise _Undelivered(f"deadline exceeded ({why})" if limit < timeout else why) from exc
            except requests.RequestException as exc:
                raise _Undelivered(one_line(str(exc), _REPLY_LIMIT)) from exc
            else:
                if response.status_code != 429 and response.status_code < 500:
                    if broken is not None and answer_in_body and response.status_code // 100 == 2:
                        # Not resent: the service took the call, and would most likely be told it twice.
                        raise _Undelivered(f"{_status(response)}, but {broken}")
                    return response
                reason = _status(response)
                retry_after = _retry_after(response)
                wait = _backoff(attempt) if retry_after is None else retry_after
            if attempt + 1 == ATTEMPTS:
                break
            if wait >= self.deadline - self.clock():
                raise _Undelivered(f"{reason}; retrying in {wait:.3g} s would pass the deadline")
            time.sleep(wait)
        raise _Undelivered(f"{reason} after {ATTEMPTS} attempts")

    def idle(self, kind: Kind, target: str, planned: tuple[str, ...]) -> PingResult:
        """Return the result of a target sent nothing: nothing owed, or a dry run."""
        detail = f"dry run: {len(planned)} to send" if planned else "nothing changed"
        return PingResult(target, kind, True, 0, detail, planned)


_GRACE = 0.25  # seconds past the deadline for requests' own timeout, which says what happened, to fire first


def _capped_request(
    session: requests.Session, method: str, url: str, limit: int = REPLY_BYTES, **options: Any
) -> tuple[requests.Response, str | None]:
    """Make a request and read at most `limit` bytes of its reply's body (one more tells it was longer). Return the
    response, and why its body broke off before its end (None when it did not).

    requests reads a whole reply into memory: a hub answering with 100 MB took the run to 342 MB. The status and
    headers are all most targets are judged by, and an XML-RPC reply is a few hundred bytes. A body that breaks
    off (a hub answering "200 OK" and closing mid-body) is no failure of the request: the status came.
    """
    response = session.request(method, url, stream=True, **options)
    body = bytearray()
    broken = None
    try:
        for chunk in response.iter_content(16 * 1024):
            body += chunk
            if len(body) > limit:
                break
    except requests.RequestException as exc:
        broken = _broken_off(exc, response, options["timeout"][1])
    finally:
        response._content = bytes(body[: limit + 1])  # what .content and .text give from now on
        response.close()  # with unread bytes left, the connection is dropped, not drained
    return response, broken


def _broken_off(exc: requests.RequestException, response: requests.Response, read_timeout: float) -> str:
    """Say in words why the body of `response` was not read whole: "the reply broke off after 3 of 1,000 bytes
    (the connection closed)", where requests says "('Connection broken: IncompleteRead(3 bytes read, 997 more
    expected)', IncompleteRead(...))"."""
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        encoding = one_line(response.headers.get("Content-Encoding", ""), 40)
        return f"the reply's body does not decode as its Content-Encoding ({encoding}) says"
    if isinstance(exc.args[0] if exc.args else None, urllib3.exceptions.ReadTimeoutError):
        # No count: the bytes of the read that timed out are lost with it.
        return f"the reply's body stalled (nothing more within {read_timeout:.3g} s)"
    length = response.headers.get("Content-Length", "")
    read = f"{response.raw.tell():,}" + (f" of {int(length):,}" if length.isascii() and length.isdigit() else "")
    # urllib3's ProtocolError (closed or reset mid-body) comes as requests' ChunkedEncodingError.
    why = "the connection closed" if isinstance(exc, requests.exceptions.ChunkedEncodingError) else _os_reason(exc)
    return f"the reply broke off after {read} bytes ({why})"


def fetch_previous(site: Site, url: str) -> bytes | None:
    """GET a published state the live site serves (`[ping] previous`); None when it serves none yet (404, 410).

    Only from the site's own URL, with the pinger's timeout, deadline, User-Agent and a size cap; no redirect is
    followed and nothing is retried (a failure only costs announcing as on first contact). Raises PingError.
    """
    url = to_uri(url)  # `--since` may be given as the site's IRI or as its URI: they are compared, and sent, as URIs
    if not url.startswith(site.uri):
        # A usage error (`ping --since` names it): exit 2, not 3, which says a notification failed.
        raise ConfigError(f"{url}: not on the site ({site.uri}); the previous published state is read only from there")
    timeout = site.ping.timeout
    headers = {"User-Agent": _user_agent(site), "Accept": "application/json"}
    options = {"headers": headers, "timeout": (timeout, timeout), "allow_redirects": False}
    try:
        request = functools.partial(_capped_request, requests.Session(), "GET", url, PREVIOUS_BYTES, **options)
        response, broken = within(site.ping.deadline + _GRACE, request, "feedpub-request")
    except StillRunning:
        raise PingError(f"{url}: still arriving after {site.ping.deadline:.3g} s (ping.deadline)") from None
    except requests.Timeout:  # before ConnectionError, which a connect timeout is too
        raise PingError(f"{url}: no answer within {timeout:.3g} s (ping.timeout)") from None
    except requests.ConnectionError as exc:
        raise PingError(f"{url}: {_os_reason(exc)}") from None
    except requests.RequestException as exc:
        raise PingError(f"{url}: {one_line(str(exc), _REPLY_LIMIT)}") from None
    if response.status_code in (404, 410):
        return None
    if response.status_code != 200:
        raise PingError(f"{url}: {_status(response)}")
    if broken is not None:
        raise PingError(f"{url}: {_status(response)}, but {broken}")
    if len(response.content) > PREVIOUS_BYTES:
        raise PingError(f"{url}: larger than {PREVIOUS_BYTES:,} bytes; not read")
    return response.content


def _websub(run: _Run, hub: str) -> PingResult:
    """POST hub.mode=publish for each changed feed, the form every public hub takes."""
    owed = run.changed_feeds("websub", hub)
    planned = tuple(feed.url for feed in owed)
    if not owed or run.dry_run:
        return run.idle("websub", hub, planned)
    # One request per feed rather than repeated hub.url: each feed is acknowledged on its own, and
    # a hub refusing one topic (400) still takes the others.
    sent, errors = 0, []
    try:
        for feed in owed:
            body = urlencode({"hub.mode": "publish", "hub.url": feed.url}).encode("ascii")
            response = run.send("POST", hub, body, _FORM)
            if response.status_code // 100 == 2:
                run.state.ack("websub", hub, [feed], {})
                sent += 1
            else:
                errors.append(f"{feed.url}: {_status(response)}")
    except _Undelivered as exc:
        errors.append(str(exc))
    return _result("websub", hub, planned, sent, "; ".join(errors), f"announced {sent} feed(s)")


def _key_file_served(site: Site, key: str) -> bool:
    """Whether the output folder holds the key file IndexNow is told to fetch (written by the last build, or the
    site's own), holding the key."""
    served = key_file_bytes(site.output_dir, key)
    return served is not None and served.decode("utf-8", "replace").strip() == key


def _indexnow(run: _Run, endpoint: str) -> PingResult:
    """Submit the URLs added, changed or deleted since the endpoint last took a submission."""
    published = run.published
    host = urlsplit(published.site_url).hostname or ""
    # Every URL must belong to `host` (IndexNow answers 422 otherwise): others are never sent.
    pages = {p.url: p.fingerprint for p in published.pages if urlsplit(p.url).hostname == host}
    acked = run.state.pages("indexnow", endpoint)
    carried: dict[str, str | None] = {}  # acknowledged under an older fingerprint scheme: not to be sent again
    if acked is None:
        urls = list(dict.fromkeys([published.site_url, *list(pages)[:FIRST_CONTACT_PAGES]]))
    else:
        for url, fingerprint in pages.items():
            old = acked.get(url)
            if old is not None and old != fingerprint and _scheme(old) != _scheme(fingerprint):
                carried[url] = fingerprint
        changed = [url for url, fingerprint in pages.items() if acked.get(url) != fingerprint and url not in carried]
        deleted = [url for url in acked if url not in pages and urlsplit(url).hostname == host]
        urls = changed + deleted
    planned = tuple(urls)
    variable = run.site.ping.indexnow_key_env
    if run.key is None:
        reason = f"no IndexNow key: set the environment variable {variable}"
        return PingResult(endpoint, "indexnow", False, 0, reason, planned)
    if not _key_file_served(run.site, run.key):
        # The endpoint answers 202 before it fetches the key file: every URL would be taken as delivered, and
        # dropped when the key is checked (a build run without the key writes no key file).
        reason = (
            f"{run.key}.txt is not in {run.site.output_dir} holding the key, where keyLocation says: set "
            f"{variable} for `feedpub build` too, build, then ping"
        )
        return PingResult(endpoint, "indexnow", False, 0, reason, planned)
    if run.dry_run:
        return run.idle("indexnow", endpoint, planned)
    if carried:
        # A new feedpub fingerprints pages differently: every page would look changed. Pages the endpoint knew
        # are taken as unchanged (an edit made since the last ping is missed once); new and deleted ones still go.
        run.state.ack("indexnow", endpoint, [], carried)
    if not urls:
        return run.idle("indexnow", endpoint, planned)
    key_location = f"{published.site_url}{run.key}.txt"
    sent, notes = 0, ""
    try:
        for start in range(0, len(urls), INDEXNOW_BATCH):
            batch = urls[start : start + INDEXNOW_BATCH]
            payload = {"host": host, "key": run.key, "keyLocation": key_location, "urlList": batch}
            body = json.dumps(payload).encode("utf-8")
            response = run.send("POST", endpoint, body, "application/json; charset=utf-8")
            if response.status_code not in (200, 202):
                cause = _INDEXNOW_REFUSALS.get(response.status_code, "unexpected reply")
                cause = cause.format(key_location=key_location, host=host)
                raise _Undelivered(f"{_status(response)}: {cause}")
            if response.status_code == 202:
                notes = " (202: key not verified yet)"
            # First contact takes every page as known, so only later changes are ever submitted.
            run.state.ack("indexnow", endpoint, [], pages if acked is None else {u: pages.get(u) for u in batch})
            sent += len(batch)
    except _Undelivered as exc:
        return _result("indexnow", endpoint, planned, sent, str(exc), "")
    return _result("indexnow", endpoint, planned, sent, "", f"submitted {sent} URL(s){notes}")


def _scheme(fingerprint: str) -> str:
    """The scheme a page fingerprint was made with: what precedes its ":" (models.PAGE_FINGERPRINT_SCHEME)."""
    scheme, colon, _ = fingerprint.partition(":")
    return scheme if colon else ""


def _xmlrpc(run: _Run, server: str) -> PingResult:
    """Call weblogUpdates.extendedPing, or weblogUpdates.ping where that faults."""
    if not run.changed_feeds("xmlrpc", server):
        return run.idle("xmlrpc", server, ())
    published = run.published
    newest = published.pages[0].url if published.pages else published.site_url
    args = (run.site.title, published.site_url, newest, published.feeds[0].url)

    def deliver() -> str:
        try:
            try:
                method, reply = "extendedPing", _call(run, server, "weblogUpdates.extendedPing", args)
            except xmlrpc.client.Fault:
                # Services that predate extendedPing only know the two-argument ping.
                method, reply = "ping", _call(run, server, "weblogUpdates.ping", args[:2])
        except xmlrpc.client.Fault as fault:
            raise _Undelivered(f"fault {fault.faultCode}: {one_line(str(fault.faultString), _REPLY_LIMIT)}") from fault
        if not isinstance(reply, dict):
            raise _Undelivered(f"malformed XML-RPC reply (a {type(reply).__name__}, not a struct)")
        message = one_line(str(reply.get("message", "")), _REPLY_LIMIT)
        if reply.get("flerror"):
            raise _Undelivered(f"{method} refused: {message or 'flerror set'}")
        return f"{method} accepted: {message}" if message else f"{method} accepted"

    return _once(run, "xmlrpc", server, f"weblogUpdates.extendedPing{args}", deliver)


def _call(run: _Run, server: str, method: str, params: tuple[str, ...]) -> object:
    """POST one XML-RPC call through the shared session (for its timeouts) and return the reply."""
    body = xmlrpc.client.dumps(params, methodname=method, encoding="utf-8").encode("utf-8")
    response = run.send("POST", server, body, "text/xml; charset=utf-8", answer_in_body=True)
    if response.status_code // 100 != 2:
        raise _Undelivered(_status(response))
    try:
        (reply,), _ = xmlrpc.client.loads(response.content)
    except xmlrpc.client.Fault:
        raise
    except Exception as exc:  # the unmarshaller raises many types on hostile input
        raise _Undelivered(
            f"malformed XML-RPC reply ({one_line(str(exc), _REPLY_LIMIT) or type(exc).__name__})"
        ) from exc
    return reply


def _get(run: _Run, template: str) -> PingResult:
    """GET a URL template, filling {feed}, {sitemap} and {site}."""
    if not run.changed_feeds("url", template):
        return run.idle("url", template, ())
    published = run.published
    url = template
    for name, value in (
        ("feed", published.feeds[0].url),
        ("sitemap", published.sitemap_url),
        ("site", published.site_url),
    ):
        url = url.replace(f"{{{name}}}", quote(value, safe=""))

    def deliver() -> str:
        response = run.send("GET", url)
        if response.status_code // 100 != 2:
            raise _Undelivered(_status(response))
        return _status(response)

    return _once(run, "url", template, url, deliver)


def _once(run: _Run, kind: Kind, target: str, planned: str, deliver: Callable[[], str]) -> PingResult:
    """Send the one notification that covers every changed feed; on success, record them all."""
    if run.dry_run:
        return run.idle(kind, target, (planned,))
    try:
        detail = deliver()
    except _Undelivered as exc:
        return _result(kind, target, (planned,), 0, str(exc), "")
    run.state.ack(kind, target, run.published.feeds, {})
    return _result(kind, target, (planned,), 1, "", detail)


def _result(kind: Kind, target: str, planned: tuple[str, ...], sent: int, error: str, done: str) -> PingResult:
    if not error:
        return PingResult(target, kind, True, sent, done, planned)
    partial = f" ({sent} of {len(planned)} delivered)" if sent else ""
    return PingResult(target, kind, False, sent, error + partial, planned)


def _user_agent(site: Site) -> str:
    # A header value is Latin-1 at most (RFC 9110 §5.5): an IDN host or a Hangul path goes in its URI form.
    return f"feedpub/{__version__} (+{site.uri})"


def _status(response: requests.Response) -> str:
    # The server's words, cut to a line: a 60 KB Location made a 60 KB line of the report and the cron mail.
    moved = f" (moved to {one_line(response.headers['Location'], 300)}: update the URL)" if response.is_redirect else ""
    return f"HTTP {response.status_code} {one_line(str(response.reason), 100)}{moved}"


def _retry_after(response: requests.Response) -> float | None:
    """Return the delay a 429 or 503 asks for (delta-seconds or HTTP-date), if any."""
    value = response.headers.get("Retry-After", "").strip()
    if response.status_code not in (429, 503) or not value:
        return None
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, and not to float()
        return float(value)
    when, now = _http_date(value), _http_date(response.headers.get("Date", ""))
    if when is None:
        return None
    # The server's own Date, where it sends one, is immune to skew between its clock and ours.
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):  # a year or zone of twenty digits overflows a C long
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _backoff(attempt: int) -> float:
    return random.uniform(0, BACKOFF * 2**attempt)


def _os_reason(exc: BaseException) -> str:
    """Dig the OS-level cause ("Connection refused") out of requests' and urllib3's wrappers."""
    pending, seen = [exc], set()
    while pending:
        cause = pending.pop()
        if isinstance(cause, OSError) and cause.strerror:
            return f"connection failed: {cause.strerror}"
        seen.add(id(cause))
        inner = (getattr(cause, "reason", None), cause.__cause__, cause.__context__, *cause.args)
        pending += [c for c in inner if isinstance(c, BaseException) and id(c) not in seen]
    return f"connection failed: {one_line(str(exc), _REPLY_LIMIT)}"


# The kind each job's function notifies, for seeding a fresh state (`ping(previous=...)`).
_KINDS: dict[Callable[[_Run, str], PingResult], Kind] = {
    _websub: "websub",
    _indexnow: "indexnow",
    _xmlrpc: "xmlrpc",
    _get: "url",
}
