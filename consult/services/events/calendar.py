"""Calendar files (.ics, RFC 5545): one event for a registrant, and the public feed.

The online link goes only into a confirmed registrant's file; the public feed never
carries it.
"""

from __future__ import annotations

from collections.abc import Iterable

import icalendar

from ...models import Event, EventStatus, Registration, RegistrationStatus, utcnow

PRODID = "-//Consult//Dialogue on biotechnology//EN"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _vevent(
    event: Event, locale: str, url: str, *, online_link: str | None = None
) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.id}@consult")
    item.add("dtstamp", utcnow())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title(locale))
    description = event.description(locale)
    if online_link:
        description = f"{description}\n\n{online_link}".strip()
    item.add("description", description)
    if event.venue:
        item.add("location", event.venue)
    elif online_link:
        item.add("location", online_link)
    item.add("url", url)
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return item


def registration_ics(registration: Registration, url: str) -> bytes:
    """The calendar file sent to a registrant, with the online link once confirmed."""
    event = registration.event
    link = event.online_link if registration.status == RegistrationStatus.CONFIRMED else None
    calendar = _calendar(event.title(registration.locale))
    calendar.add_component(_vevent(event, registration.locale, url, online_link=link))
    return bytes(calendar.to_ical())


def feed_ics(events: Iterable[tuple[Event, str]], locale: str, name: str) -> bytes:
    """A feed of (event, url) pairs, without online links."""
    calendar = _calendar(name)
    for event, url in events:
        calendar.add_component(_vevent(event, locale, url))
    return bytes(calendar.to_ical())
