"""Object access: nobody reaches another person's response, receipt, edit link,
registration, personal event page, QR code or cancel link; an organiser manages only
their own events (every organisers.* endpoint with another event's id); citizens get no
staff page and anonymous visitors go to the login page; dietary notes only for that
event's organisers. Refusals are 403/404 or a login redirect, never data."""

from __future__ import annotations

from tests.support.crawl import every_url
from tests.support.security_world import NOTE, World, table_snapshot


#: What must never appear in a page someone may not see.
def _secrets(world: World) -> list[str]:
    return [NOTE, "alice@example.nl", "Alice&#39;s own words", "Alice's own words",
            world.registration_a.checkin_code]


def _refused(response: object, path: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if status == 302:
        assert "/account/login" in response.headers["Location"], path  # type: ignore[attr-defined]
    else:
        assert status in (403, 404), (path, status)


def _no_data(world: World, response: object, path: str) -> None:
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    for secret in _secrets(world):
        assert secret not in body, (path, secret)


def test_a_citizen_cannot_open_another_persons_things(world: World) -> None:
    slug, tasting = world.consultation.slug, world.tasting.id
    bob = world.client("citizen_b")
    before = table_snapshot()
    for path in (
        f"/consultations/{slug}/receipt/{world.response_a.public_id}",
        f"/consultations/{slug}/receipt/{world.response_anon.public_id}",
        f"/consultations/{slug}/edit/{world.edit_token}x",
        f"/consultations/{slug}/edit/{world.edit_token[:-2]}",
        f"/events/{tasting}/mine", f"/events/{tasting}/mine/qr.svg",
        f"/events/{tasting}/mine/qr.png",
        f"/events/r/{world.secret_a[:-1]}", f"/events/r/{world.secret_a[:-1]}/qr.svg",
        f"/organise/events/{tasting}/registrations/{world.registration_a.id}/qr.svg",
        f"/organise/events/{tasting}/dietary-notes",
    ):
        response = bob.get(path)
        _refused(response, path)
        _no_data(world, response, path)
    for path in (f"/events/{tasting}/mine/cancel", f"/events/r/{world.secret_a[:-1]}/cancel",
                 f"/events/r/{world.secret_b}x/cancel"):
        response = bob.post(path)
        _refused(response, path)
    # Bob's own review and withdraw pages show his (absent) response, not Alice's.
    for path in (f"/consultations/{slug}/review", f"/consultations/{slug}/withdraw"):
        response = bob.get(path)
        assert response.status_code in (200, 302), path
        _no_data(world, response, path)
    assert table_snapshot() == before


def test_the_owner_does_see_their_own(world: World) -> None:
    """The counterpart: the same URLs work for the right person (so the refusals mean it)."""
    slug, tasting = world.consultation.slug, world.tasting.id
    alice = world.client("citizen_a")
    assert alice.get(f"/consultations/{slug}/receipt/{world.response_a.public_id}"
                     ).status_code == 200
    assert alice.get(f"/events/{tasting}/mine").status_code == 200
    assert alice.get(f"/events/{tasting}/mine/qr.svg").status_code == 200
    assert world.client(None).get(f"/events/r/{world.secret_a}").status_code == 200
    assert world.anon_client.get(
        f"/consultations/{slug}/receipt/{world.response_anon.public_id}").status_code == 200


def test_an_organiser_cannot_manage_another_organisers_event(world: World) -> None:
    other = world.client("organiser_b")
    before = table_snapshot()
    checked = 0
    for method in ("GET", "POST"):
        for endpoint, path in every_url(world, method, own="a"):
            if not endpoint.startswith("organisers.") or "/events/new" in path \
                    or endpoint == "organisers.index":
                continue
            response = other.open(path, method=method, data={
                "email": "org-b@example.nl", "code": world.registration_a.checkin_code})
            assert response.status_code in (403, 404), (method, path, response.status_code)
            _no_data(world, response, path)
            checked += 1
    assert checked >= 20
    assert table_snapshot() == before
    index = other.get("/organise/").get_data(as_text=True)
    assert world.tasting.title_en not in index and "Werkplaats kweekvlees" not in index


def test_dietary_notes_only_for_that_events_organisers(world: World) -> None:
    path = f"/organise/events/{world.tasting.id}/dietary-notes"
    own = world.client("organiser_a").get(path)
    assert own.status_code == 200 and NOTE in own.get_data(as_text=True)
    for who in (None, "citizen_a", "citizen_b", "organiser_b", "official", "admin"):
        response = world.client(who).get(path)
        _refused(response, path)
        assert NOTE not in response.get_data(as_text=True), who
    for who in ("organiser_b", "official", "admin"):  # nor in any other page they can open
        client = world.client(who)
        for _endpoint, url in every_url(world, own="a"):
            assert NOTE not in client.get(url).get_data(as_text=True), (who, url)


STAFF = {"officials.": "official", "insights.": "official", "organisers.": "organiser",
         "admin.": "admin"}


def test_staff_pages_refuse_citizens_and_anonymous_visitors(world: World) -> None:
    before = table_snapshot()
    checked = 0
    for who in (None, "citizen_a"):
        client = world.client(who)
        for method in ("GET", "POST"):
            for endpoint, path in every_url(world, method):
                if not endpoint.startswith(tuple(STAFF)):
                    continue
                response = client.open(path, method=method)
                if who is None:
                    _refused(response, path)
                else:
                    assert response.status_code in (403, 404), (who, method, path)
                _no_data(world, response, path)
                checked += 1
    # Organisers are not officials or admins.
    organiser = world.client("organiser_a")
    for endpoint, path in every_url(world):
        if endpoint.startswith(("officials.", "insights.", "admin.")):
            assert organiser.get(path).status_code == 403, path
    official = world.client("official")
    for endpoint, path in every_url(world):
        if endpoint.startswith("admin."):
            assert official.get(path).status_code == 403, path
    assert checked > 80
    assert table_snapshot() == before
