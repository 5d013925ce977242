"""The one due-date formatter: a due time as the agency's people and clients read it.

Always in the agency's time zone. ``short``: «03.12 13:00» (with the year when it is not this
year's: «10.03.2027 18:00»), for lists, notifications and change records. ``long``: «4 декабря,
18:00» / «4 December, 18:00» in the current language, for messages written to a client.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kabinet.core.models import Agency


def format_due(
    agency: Agency, at: datetime | None, *, now: datetime | None = None, long: bool = False
) -> str:
    if at is None:
        return _("no due date")
    tz = ZoneInfo(agency.timezone)
    local = at.astimezone(tz)
    if long:
        return formats.date_format(local, "j E, H:i")
    this_year = (now or timezone.now()).astimezone(tz).year
    return local.strftime("%d.%m %H:%M" if local.year == this_year else "%d.%m.%Y %H:%M")
