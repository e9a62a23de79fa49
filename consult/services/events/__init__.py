"""Events: managing tastings and meetings, registrations, the waiting list and check-in.

The modules split the rules by what they are about: `manage` (events and their tasting
settings), `seats` (the counter that never overbooks), `registration` (signing up and
cancelling), `waitlist` (offers, approval, promotion), `checkin`, `calendar` (.ics),
`retention` (purging dietary notes), `reminders`, `queries` (lists) and `labels`;
`page_version` raises an event's version when its parts change (imported here so its
flush listener is always installed).
"""

from . import page_version  # noqa: F401 - installs the flush listener
