"""Time in the demo world: days before the frozen now, mapped onto US business hours.

Scenarios speak in "days ago" (floats). ``Clock.at`` maps each day's 24 hours linearly onto
13:30-22:30 UTC (9:30-17:30 Eastern), which keeps every ordering intact, and squeezes the
frozen day's share before ``now`` so that nothing happens in the future. Negative days are
deadlines ahead, due at the close of business.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

OPEN = timedelta(hours=13, minutes=30)
BUSINESS_DAY = timedelta(hours=9)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self._today = datetime(now.year, now.month, now.day, tzinfo=UTC)

    def at(self, days_ago: float) -> datetime:
        if days_ago < 0:  # a deadline ahead: the close of business that day
            ahead = self.now - timedelta(days=days_ago)
            return datetime(ahead.year, ahead.month, ahead.day, 22, tzinfo=UTC)
        moment = self.now - timedelta(days=days_ago)
        midnight = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
        fraction = (moment - midnight) / timedelta(days=1)
        if midnight == self._today:
            # Today only runs from the opening to just before now.
            fraction = fraction / ((self.now - midnight) / timedelta(days=1))
            span = max(self.now - midnight - OPEN - timedelta(minutes=5), timedelta(0))
            return (midnight + OPEN + span * fraction).replace(microsecond=0)
        return (midnight + OPEN + BUSINESS_DAY * fraction).replace(microsecond=0)


def salesforce_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def unix(moment: datetime) -> int:
    return int(moment.timestamp())
