"""The webhook dispatcher: one per server process, started in the app's lifespan.

Each turn it (1) turns new changes of the feed into deliveries, moving the database's one cursor in the same
transaction (several processes may race; only one moves it from a given place, the others plan again), and (2)
claims due deliveries with a lease and sends them. A process that dies mid-send leaves its lease to expire, and
another process sends again: delivery is at least once, never lost across a restart, and the receiver tells
repeats by the `Idempotency-Key`.

Claims are writes, so a process claims only when something may be due: deliveries it just planned, the retry time
it scheduled, a replay made through it (`wake`), or else a sweep every `SWEEP_SECONDS` for what other processes
scheduled or abandoned.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from tracegraph.errors import InvalidInput, TracegraphError
from tracegraph.graph import webhooks as rules
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore
from tracegraph.graph.webhooks import AttemptOutcome, DeliveryJob, DeliveryStatus
from tracegraph.settings import Settings
from tracegraph.webhooks import sender

logger = logging.getLogger(__name__)

CHANGES_PAGE = 500
SWEEP_SECONDS = 5.0
MAX_FAILURE_WAIT = 30.0  # seconds between turns while the store keeps failing


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    poll_seconds: float = 0.25
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=5)
    lease: timedelta = timedelta(seconds=60)
    concurrency: int = 16


def dispatch_settings(settings: Settings) -> DispatchSettings:
    return DispatchSettings(
        poll_seconds=settings.webhook_poll_seconds,
        max_attempts=settings.webhook_max_attempts,
        backoff=timedelta(seconds=settings.webhook_backoff_seconds),
        lease=timedelta(seconds=settings.webhook_lease_seconds),
        concurrency=settings.webhook_concurrency,
    )


class Dispatcher:
    def __init__(self, store: Callable[[], GraphStore], settings: DispatchSettings) -> None:
        self._store = store
        self._settings = settings
        self.owner = uuid.uuid4().hex  # this process's leases
        self._wake = asyncio.Event()
        self._inflight: set[asyncio.Task[None]] = set()
        self._due: datetime | None = None  # the earliest retry this process scheduled
        self._swept = datetime.min.replace(tzinfo=utc_now().tzinfo)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._http: httpx.AsyncClient | None = None

    # --- lifecycle ---

    def start(self) -> None:
        self._http = sender.client()
        self._task = asyncio.create_task(self._run(), name="tracegraph-webhooks")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop after the current turn, and give attempts in flight `grace` seconds to finish and be recorded; what
        is still running then is cancelled (its lease runs out, and another turn sends it again). A store call is
        not cancelled midway when it can be helped: on Neo4j that can leave its transaction, and the cursor lock
        it holds, open on the server until the connection closes."""
        self._stopping = True
        self._wake.set()
        running = {task for task in (self._task, *self._inflight) if task is not None}
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()

    def wake(self) -> None:
        """Something is due now (a replay): claim without waiting for the next poll."""
        self._due = utc_now()
        self._wake.set()

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                await self.turn()
                failures = 0
            except Exception as error:
                # The store is unavailable (or a bug): wait longer after each failure, and log the 1st, 2nd, 4th…
                # of a run of them, not one line per poll.
                failures += 1
                if failures & (failures - 1) == 0:
                    if isinstance(error, TracegraphError):
                        logger.warning("webhook dispatcher (failure %d): %s", failures, error.message)
                    else:
                        logger.exception("webhook dispatcher turn failed (failure %d)", failures)
            wait = min(self._settings.poll_seconds * 2 ** min(failures, 10), MAX_FAILURE_WAIT) if failures else None
            try:
                async with asyncio.timeout(wait or self._settings.poll_seconds):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()

    # --- one turn ---

    async def turn(self) -> None:
        planned = await self._enqueue()
        now = utc_now()
        due = self._due is not None and self._due <= now
        sweep = now - self._swept >= timedelta(seconds=SWEEP_SECONDS)
        free = self._settings.concurrency - len(self._inflight)
        if self._stopping or free <= 0 or not (planned or due or sweep):
            return
        if sweep:
            self._swept = now
        if due:
            self._due = None
        jobs = await self._store().claim_webhook_deliveries(self.owner, lease=self._settings.lease, limit=free)
        for job in jobs:
            task = asyncio.create_task(self._deliver(job))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        if len(jobs) == free:
            self._due = now  # more may be waiting

    async def _enqueue(self) -> int:
        """Plan the deliveries of the changes after the cursor; answer how many were inserted."""
        store = self._store()
        state = await store.webhook_dispatch_state()
        inserted = 0
        while state is not None:
            orgs = sorted({hook.org for hook in state.webhooks})
            if not orgs:
                return inserted
            try:
                changes = await store.changes_after(state.cursor, limit=CHANGES_PAGE, orgs=orgs)
            except InvalidInput as error:
                # The feed pruned changes the cursor had not reached (the dispatcher was stopped longer than the
                # feed's retention): they cannot be delivered. Start again at the feed's end.
                last = await store.last_change_id()
                logger.error("webhook dispatcher: %s; skipping to change %d", error.message, last)
                await store.enqueue_webhook_deliveries(
                    cursor=state.cursor, generation=state.generation, through=last, planned=[]
                )
                return inserted
            if not changes:
                return inserted
            planned = rules.plan(changes, state.webhooks)
            through = changes[-1].id
            moved = await store.enqueue_webhook_deliveries(
                cursor=state.cursor, generation=state.generation, through=through, planned=planned
            )
            if not moved:  # another process moved the cursor, or a hook was created or deleted: plan again
                state = await store.webhook_dispatch_state()
                continue
            inserted += len(planned)
            if len(changes) < CHANGES_PAGE:
                return inserted
            state = state.model_copy(update={"cursor": through})
        return inserted

    async def _deliver(self, job: DeliveryJob) -> None:
        assert self._http is not None
        within = max(self._settings.lease.total_seconds() - 5.0, 1.0)
        try:
            sent = await sender.send(self._http, job, within=within)
            now = utc_now()
            wait = rules.retry_after(sent.retry_after, now)
            status, next_at = rules.next_step(
                job.attempt,
                sent.status_code,
                now=now,
                max_attempts=self._settings.max_attempts,
                base=self._settings.backoff,
                wait=wait,
            )
            outcome = AttemptOutcome(
                org=job.org,
                delivery=job.id,
                owner=self.owner,
                series=job.series,
                number=job.attempt,
                at=sent.at,
                duration_ms=sent.duration_ms,
                status_code=sent.status_code,
                error=sent.error,
                status=status,
                next_attempt_at=next_at,
            )
            await self._store().record_webhook_attempt(outcome)
            logger.info(
                "webhook delivery %s (webhook %s, %s) attempt %d: %s -> %s",
                job.id,
                job.webhook,
                job.event.value,
                job.attempt,
                sent.status_code if sent.status_code is not None else sent.error,
                status.value,
            )
            if status is DeliveryStatus.PENDING and next_at is not None:
                self._due = next_at if self._due is None else min(self._due, next_at)
        except TracegraphError as error:
            # Not recorded: the lease runs out and the delivery is attempted again (at least once).
            logger.warning("webhook delivery %s: %s", job.id, error.message)
        except Exception:
            logger.exception("webhook delivery %s failed", job.id)
