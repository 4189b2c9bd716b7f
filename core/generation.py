"""The content generation: one token, in the shared cache, that changes whenever
something a public page shows may have changed.

Cached pages carry the token they were rendered under and are served only while
it is current, so the first request after a change renders afresh, on every
worker of every server that shares the cache.

What moves it:
- every write to a content table: any INSERT, UPDATE or DELETE the database is
  sent through Django, by the ORM, `QuerySet.update()`, `bulk_create()`, raw SQL,
  migrations or `loaddata`, outside the bookkeeping tables in IGNORED_TABLES.
  It moves again when the transaction commits (a worker that rendered from the
  old rows in the meantime stored its page under a token that is no longer
  current); inside a transaction it also moves at once if this connection has
  read anything since it last moved it, so a page rendered from the
  transaction's own uncommitted rows is not served after them either;
- time alone: a scheduled article coming due, an article leaving the news
  sitemap's window (the `dues` a model registers, see `due()` and
  `DUE_PROVIDERS`), and local midnight (ages, "recently released"). No cron
  job is needed: the first request after such a moment moves the token.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
import math
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

TOKEN_KEY = "content-generation"
DUES_KEY = "content-generation-dues"
# Dues kept at once: scheduled articles are few; past the limit the latest are
# dropped, and midnight's move finds them again (`DUE_PROVIDERS`).
MAX_DUES = 200

# Tables whose rows no public page shows: sessions, the admin's log, users and
# their permissions, revisions, the task queue, migrations, Django's cache,
# login attempts (axes_) and second-factor devices (otp_).
IGNORED_TABLES = re.compile(
    r"^(django_session|django_admin_log|django_migrations|django_content_type"
    r"|django_cache|django_tasks|auth_|reversion_|axes_|otp_)"
)
WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)"
    r"\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "TRUNCA"})

# Functions returning the moments after now at which time alone changes a page
# (registered by the apps whose models have them, in their ready()). They are
# asked when the shared cache has lost its list of dues, and at each midnight.
DUE_PROVIDERS: list[Callable[[datetime.datetime], Iterable[datetime.datetime]]] = []


@dataclass(frozen=True)
class Generation:
    token: str
    changed_at: float  # Unix time of the change that made it
    midnight: float  # the next local midnight after changed_at
    # HTTP dates count whole seconds: when the generation before this one
    # changed in the same second, a client's If-Modified-Since of that second
    # may describe either, and gets the page rather than a 304.
    shares_second: bool = False

    @property
    def last_modified(self) -> int:
        return math.ceil(self.changed_at)

    def as_value(self) -> tuple:
        return (self.token, self.changed_at, self.midnight, self.shares_second)


class Store:
    """A cache alias with a circuit breaker: after a failure it is left alone
    for RETRY_SECONDS, so an unreachable cache costs one timeout, not one per
    request, and is tried again by itself. On recovery the content generation
    moves, in case a change was made while it could not be told."""

    RETRY_SECONDS = 5.0

    def __init__(self, alias: str):
        self.alias = alias
        self.retry_at = 0.0
        self.failed = False

    @property
    def cache(self):
        return caches[self.alias]

    @property
    def available(self) -> bool:
        return time.monotonic() >= self.retry_at

    def call(self, method: str, *args, default=None):
        if not self.available:
            return default
        try:
            result = getattr(self.cache, method)(*args)
        except Exception as error:  # any backend's connection error
            if not self.failed:
                logger.warning(
                    "The %r cache failed (%s); pages are served uncached and it "
                    "is tried again every %d s.",
                    self.alias,
                    error,
                    self.RETRY_SECONDS,
                )
            self.failed = True
            self.retry_at = time.monotonic() + self.RETRY_SECONDS
            return default
        if self.failed:
            self.failed = False
            logger.warning("The %r cache answers again.", self.alias)
            recovered()
        return result


def store(alias: str | None = None) -> Store:
    """The Store of a cache alias (by default the generation's), one per
    process so that its breaker is shared."""
    from django.conf import settings

    alias = alias or settings.PAGE_CACHE_GENERATION_ALIAS
    if alias not in _stores:
        _stores[alias] = Store(alias)
    return _stores[alias]


_stores: dict[str, Store] = {}


def clock() -> float:
    """Now, as Unix time: the clock the visibility rules read (published()
    compares with timezone.now())."""
    return timezone.now().timestamp()


def next_midnight(moment: float) -> float:
    local = timezone.localtime(datetime.datetime.fromtimestamp(moment, datetime.UTC))
    tomorrow = local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(
        tomorrow, datetime.time(), local.tzinfo
    ).timestamp()


def bump() -> Generation:
    """Move the content generation: every cached page is stale from now on."""
    now = clock()
    before = store().call("get", TOKEN_KEY)
    shares_second = before is not None and math.ceil(before[1]) == math.ceil(now)
    generation = Generation(uuid.uuid4().hex, now, next_midnight(now), shares_second)
    store().call("set", TOKEN_KEY, generation.as_value(), None)
    return generation


def due(*moments: datetime.datetime | None) -> None:
    """Note moments at which pages change by themselves (a scheduled article's
    publication, say), so the generation moves when each comes."""
    now = clock()
    wanted = {m.timestamp() for m in moments if m and m.timestamp() > now}
    if not wanted:
        return
    dues = store().call("get", DUES_KEY)
    if dues is None:
        return  # lost or unreachable: rebuilt from DUE_PROVIDERS when read
    save_dues(sorted(set(dues) | wanted))


def save_dues(dues: Iterable[float]) -> tuple[float, ...]:
    now = clock()
    kept = tuple(sorted(d for d in set(dues) if d > now)[:MAX_DUES])
    store().call("set", DUES_KEY, kept, None)
    return kept


def provided_dues() -> tuple[float, ...]:
    now = timezone.now()
    moments = [m for provider in DUE_PROVIDERS for m in provider(now)]
    return save_dues(m.timestamp() for m in moments)


def current(found: dict) -> Generation | None:
    """The generation in force, from a get_many() of TOKEN_KEY and DUES_KEY
    (with the page's own key, in one round trip); moved here if a due moment
    or midnight has passed. None when the cache cannot be reached."""
    value, dues = found.get(TOKEN_KEY), found.get(DUES_KEY)
    now = clock()
    if value is None:
        if dues is None:
            provided_dues()
        return bump() if store().available else None
    generation = Generation(*value)
    if dues is None:
        dues = provided_dues()
    if now >= generation.midnight:
        provided_dues()
        return bump()
    if dues and now >= dues[0]:
        save_dues(dues)
        return bump()
    return generation


def recovered() -> None:
    """The cache answers after failing: a change this process made meanwhile
    could not move the generation, so move it now."""
    bump()


# Watching the database's writes.


def watch(connection, **kwargs) -> None:
    """Install the write watcher on a new database connection."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)
        connection.read_since_bump = True


def watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    connection = context["connection"]
    verb = sql.lstrip()[:6].upper()
    if verb not in WRITE_VERBS:
        if verb.startswith(("SELECT", "WITH")):
            connection.read_since_bump = True
        return result
    match = WRITE.match(sql)
    if match and IGNORED_TABLES.match(match[1]):
        return result
    written(connection)
    return result


def written(connection) -> None:
    if not connection.in_atomic_block:
        bump()
        connection.read_since_bump = False
        return
    if getattr(connection, "read_since_bump", True):
        bump()
        connection.read_since_bump = False
    if not any(func is bump_after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(bump_after_commit, using=connection.alias)


def bump_after_commit() -> None:
    bump()


# The generation the page cache read for the request being answered, if it
# did: memo() uses it rather than asking the cache again, and what it keeps is
# then filed under the token the page itself is stored under.
in_force: contextvars.ContextVar[Generation | None] = contextvars.ContextVar(
    "in_force", default=None
)


def memo(key: str, compute: Callable[[], object], timeout: int | None = 24 * 3600):
    """A value derived from the content (a count, a list of page boundaries),
    kept in the shared cache while the content generation stays current:
    computed once per change, not once per request. Computed afresh, and not
    kept, when the cache cannot be reached."""
    shared = store()
    current_generation = in_force.get(None)
    if current_generation is None:
        found = shared.call("get_many", [TOKEN_KEY, DUES_KEY])
        current_generation = None if found is None else current(found)
    if current_generation is None:
        return compute()
    stored_key = f"memo:{current_generation.token}:{key}"
    value = shared.call("get", stored_key, default=None)
    if value is None:
        value = compute()
        shared.call("set", stored_key, value, timeout)
    return value
