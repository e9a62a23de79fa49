"""Events: managing tastings and meetings, registrations, the waiting list and check-in.

The modules split the rules by what they are about: `manage` (events and their tasting
settings), `seats` (the counter that never overbooks), `registration` (signing up and
cancelling), `waitlist` (offers, approval, promotion), `checkin`, `calendar` (.ics),
`retention` (purging dietary notes), `reminders`, `queries` (lists) and `labels`.
An event's version is raised when its parts change by a flush listener in models.events.
"""
