"""SLA clocks of one question thread, derived from the thread's own history (no Django).

The thread's history is a list of plain `Step`s: who did what when. From it we rebuild the
status timeline and, for each target, the clock:

- first response: from the question to the agency's first reply;
- next response: from the first client message that is still unanswered after an agency reply
  (each new client message after a reply starts a new cycle) to the agency's next reply;
- resolution: from the question to "this solved it" (a reopen resumes the same clock).

Every clock runs only while the thread waits for the agency: while it waits for the client, or is
resolved, all clocks pause. Durations are measured in the agency's business calendar, so the state
is a pure function of (history, policy, calendar, now): change the calendar and everything is
recomputed consistently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = [
    "Who",
    "Act",
    "Step",
    "Policy",
    "Clock",
    "State",
    "Target",
    "compute",
    "running_intervals",
    "WARNING_SHARE",
]

WARNING_SHARE = 0.75


class Calendar(Protocol):  # the part of kabinet.lib.business_calendar.BusinessCalendar we use
    def between(self, a: datetime, b: datetime) -> timedelta: ...

    def add(self, at: datetime, duration: timedelta) -> datetime: ...


class Who(StrEnum):
    CLIENT = "client"
    AGENCY = "agency"


class Act(StrEnum):
    MESSAGE = "message"  # a client question/follow-up, or an agency reply visible to the client
    WAITING_CLIENT = "waiting_client"  # the ball is now in the client's court (pauses)
    WAITING_AGENCY = "waiting_agency"  # the agency still owes an answer (runs)
    RESOLVED = "resolved"  # "this solved it" (pauses)
    REOPENED = "reopened"  # "I still have questions" (runs, and counts as a new client message)


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class State(StrEnum):
    OK = "ok"  # running, under 75 % of the target
    WARNING = "warning"  # running, 75 % or more used
    BREACHED = "breached"  # over the target (running or not)
    PAUSED = "paused"  # not running and not yet over the target (waiting for the client)
    MET = "met"  # stopped within the target


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    who: Who
    act: Act


@dataclass(frozen=True, slots=True)
class Policy:
    first_response: timedelta
    next_response: timedelta
    resolution: timedelta

    def budget(self, target: Target) -> timedelta:
        return getattr(self, target.value)


@dataclass(frozen=True, slots=True)
class Clock:
    target: Target
    cycle: int  # 0 for first response and resolution; 1, 2... for next-response cycles
    started_at: datetime
    stopped_at: datetime | None  # when the target was met (the reply / the resolution)
    budget: timedelta
    elapsed: timedelta  # business time counted while running, up to stop or now
    running: bool
    due_at: datetime | None  # when the budget runs out / ran out; None while paused and not yet due
    warn_at: datetime | None  # when 75 % was / will be used; None while paused and not yet reached
    state: State

    @property
    def remaining(self) -> timedelta:
        """Business time left (negative once breached)."""
        return self.budget - self.elapsed

    @property
    def share(self) -> float:
        return self.elapsed / self.budget if self.budget else 1.0


@dataclass(frozen=True, slots=True)
class Result:
    status: str  # waiting_agency / waiting_client / resolved (as rebuilt from the history)
    clocks: list[Clock] = field(default_factory=list)
    reopens: int = 0

    def current(self, target: Target) -> Clock | None:
        """The latest clock of a target."""
        found = [c for c in self.clocks if c.target == target]
        return found[-1] if found else None

    @property
    def most_urgent(self) -> Clock | None:
        """The running clock with the least business time left."""
        running = [c for c in self.clocks if c.running]
        return min(running, key=lambda c: c.remaining) if running else None


def _status_after(status: str, step: Step) -> str:
    if step.act == Act.MESSAGE:
        # A client message puts the ball in the agency's court; an agency reply in the client's.
        return "waiting_agency" if step.who == Who.CLIENT else "waiting_client"
    if step.act in (Act.WAITING_AGENCY, Act.REOPENED):
        return "waiting_agency"
    if step.act == Act.WAITING_CLIENT:
        return "waiting_client"
    if step.act == Act.RESOLVED:
        return "resolved"
    return status


def running_intervals(steps: Sequence[Step], now: datetime) -> list[tuple[datetime, datetime]]:
    """Wall-clock intervals during which the thread waited for the agency, up to `now`."""
    intervals: list[tuple[datetime, datetime]] = []
    status = ""
    since: datetime | None = None
    for step in steps:
        new = _status_after(status, step)
        if new != status:
            if status == "waiting_agency" and since is not None:
                intervals.append((since, step.at))
            since = step.at if new == "waiting_agency" else None
            status = new
    if status == "waiting_agency" and since is not None and since < now:
        intervals.append((since, now))
    return [(a, b) for a, b in intervals if b > a]


def _clock(
    target: Target,
    cycle: int,
    start: datetime,
    stop: datetime | None,
    budget: timedelta,
    intervals: Iterable[tuple[datetime, datetime]],
    running_now: bool,
    now: datetime,
    cal: Calendar,
) -> Clock:
    end = stop or now
    elapsed = timedelta(0)
    due_at: datetime | None = None
    warn_at: datetime | None = None
    warn_budget = budget * WARNING_SHARE
    for a, b in intervals:
        a, b = max(a, start), min(b, end)
        if b <= a:
            continue
        seg = cal.between(a, b)
        if warn_at is None and elapsed + seg >= warn_budget and warn_budget > elapsed:
            warn_at = cal.add(a, warn_budget - elapsed)
        if due_at is None and elapsed + seg >= budget and budget > elapsed:
            due_at = cal.add(a, budget - elapsed)
        elapsed += seg
    running = stop is None and running_now
    if running:
        if due_at is None:
            due_at = cal.add(now, budget - elapsed)
        if warn_at is None:
            warn_at = cal.add(now, max(warn_budget - elapsed, timedelta(0)))
    if stop is not None:
        state = State.MET if elapsed <= budget else State.BREACHED
    elif elapsed >= budget:
        state = State.BREACHED
    elif not running:
        state = State.PAUSED
    elif elapsed >= warn_budget:
        state = State.WARNING
    else:
        state = State.OK
    return Clock(target, cycle, start, stop, budget, elapsed, running, due_at, warn_at, state)


def compute(steps: Sequence[Step], policy: Policy, cal: Calendar, now: datetime) -> Result:
    """All SLA clocks of a thread at instant `now` (steps after `now` are ignored)."""
    steps = sorted((s for s in steps if s.at <= now), key=lambda s: s.at)
    if not steps:
        return Result(status="waiting_agency")
    intervals = running_intervals(steps, now)
    status = ""
    for step in steps:
        status = _status_after(status, step)
    running_now = status == "waiting_agency"

    asked_at = steps[0].at
    first_reply: datetime | None = None
    resolved_at: datetime | None = None
    cycles: list[tuple[datetime, datetime | None]] = []  # next-response clocks
    pending: datetime | None = None  # start of the unanswered next-response cycle
    reopens = 0
    for step in steps:
        client_speaks = (
            step.who == Who.CLIENT and step.act == Act.MESSAGE
        ) or step.act == Act.REOPENED
        if step.act == Act.REOPENED:
            reopens += 1
            resolved_at = None
        if step.act == Act.RESOLVED:
            resolved_at = step.at
        if step.who == Who.AGENCY and step.act == Act.MESSAGE:
            if first_reply is None:
                first_reply = step.at
            elif pending is not None:
                cycles.append((pending, step.at))
                pending = None
        elif client_speaks and first_reply is not None and pending is None:
            pending = step.at
    if pending is not None:
        cycles.append((pending, None))

    clocks = [
        _clock(
            Target.FIRST_RESPONSE,
            0,
            asked_at,
            first_reply,
            policy.first_response,
            intervals,
            running_now,
            now,
            cal,
        )
    ]
    for n, (start, stop) in enumerate(cycles, 1):
        clocks.append(
            _clock(
                Target.NEXT_RESPONSE,
                n,
                start,
                stop,
                policy.next_response,
                intervals,
                running_now,
                now,
                cal,
            )
        )
    clocks.append(
        _clock(
            Target.RESOLUTION,
            0,
            asked_at,
            resolved_at,
            policy.resolution,
            intervals,
            running_now,
            now,
            cal,
        )
    )
    return Result(status=status, clocks=clocks, reopens=reopens)
