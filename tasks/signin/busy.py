"""Prefect's database when it is busy, inside `cwa server` (docs/architecture.md, "Signing in").

**A short wait for SQLite's lock.** Prefect has SQLite wait up to 60 s for its write lock. A waiting statement
holds its connection's mutex; when Python's garbage collector, on the event loop's thread, frees a cursor of
that connection, the whole server waits for the mutex, and the writer the statement waits for cannot commit
until the loop runs again: the server stood still for 60 s (seen with py-spy under a burst of runs).
`wait_briefly_for_sqlite` makes the wait `CWA_PREFECT_SQLITE_BUSY_SECONDS` (2 s); a statement that times out
answers "busy", which is retried as below. It also has a transaction that Prefect begins as DEFERRED (it reads,
then writes: creating a run from a deployment) take the write lock first (IMMEDIATE): otherwise it loses its
snapshot to every writer that commits between its read and its write, and under a burst it lost again and again.

**A busy answer retried in the server.** Prefect answers 503 when its database refuses a transaction that can simply
run again: SQLite's "database is locked" when two writers meet, or a lost PostgreSQL connection. Its client then
waits 2, 4, 8, 16 and 32 s between attempts, a minute in all, since the answer gives no Retry-After: one refused
write stalled a flow run for a minute. `RetryBusy` runs the same request (its body kept) again after 50 ms, then up
to 0.5 s apart, for up to `CWA_BUSY_RETRY_SECONDS`; only then does the 503 go out, with `Retry-After: 1`. The
rolled-back transaction changed nothing, so running it again is what Prefect's client would have done, only sooner.
"""

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable

__all__ = ["RetryBusy", "wait_briefly_for_sqlite"]

logger = logging.getLogger("cwa.server")

FIRST_WAIT, LONGEST_WAIT = 0.05, 0.5  # seconds between attempts: doubled each time, up to the longest


class RetryBusy:
    """ASGI middleware around Prefect's application: an API request answered 503 runs again, for up to
    `seconds` (0: never)."""

    def __init__(self, app, seconds: float):
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api") or not self.seconds:
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        deadline, wait = time.monotonic() + self.seconds, FIRST_WAIT
        while await self._attempt(scope, body, receive, send, last=time.monotonic() >= deadline):
            await asyncio.sleep(wait * random.uniform(0.5, 1.0))
            wait = min(2 * wait, LONGEST_WAIT)

    async def _attempt(self, scope: dict, body: bytes, receive, send, last: bool) -> bool:
        """One run of the request; True if Prefect answered 503 and the answer was held back to try again."""
        given, refused = False, False

        async def replay() -> dict:
            nonlocal given
            if given:
                return await receive()  # Prefect listening for a disconnect
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def relay(message: dict) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] == 503:
                if not last:
                    refused = True
                    return
                logger.warning("busy: %s %s still refused after %.0f s", scope.get("method"), scope["path"],
                               self.seconds)
                message = dict(message, headers=[*message.get("headers", []), (b"retry-after", b"1")])
            if not refused:
                await send(message)

        try:
            await self.app(dict(scope), replay, relay)  # a copy: FastAPI writes its own keys into the scope
        except Exception:
            if not refused:
                raise
            # Starlette raises the exception again once Prefect's handler has answered 503: held back, retried
        return refused


def wait_briefly_for_sqlite(seconds: float) -> None:
    """Have Prefect's SQLite connections wait at most `seconds` for the write lock, and its DEFERRED transactions
    begin IMMEDIATE (nothing on PostgreSQL): through Prefect's own hook for its database configuration, before its
    application is built."""
    from prefect.server.database.configurations import SQLITE_BEGIN_MODE, AioSqliteConfiguration
    from prefect.server.database.dependencies import set_database_config
    from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL

    class BriefWait(AioSqliteConfiguration):
        def setup_sqlite(self, conn, record) -> None:
            super().setup_sqlite(conn, record)  # Prefect's pragmas, its 60 s wait among them
            cursor = conn.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            cursor.close()

        def begin_sqlite_stmt(self, conn) -> None:
            if SQLITE_BEGIN_MODE.get() == "DEFERRED":  # a transaction that reads, then writes: the lock first
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                super().begin_sqlite_stmt(conn)

    url = PREFECT_API_DATABASE_CONNECTION_URL.value()
    if url.startswith("sqlite"):
        set_database_config(BriefWait(connection_url=url))
