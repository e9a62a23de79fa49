"""Over-long, malformed and wrongly typed input in every form and every paging or filter
parameter: a 4xx or the form again with a message, never a 500, nothing lost."""

from __future__ import annotations

from tests.support.crawl import Form, discover_forms, every_url, fill, submit_every_form
from tests.support.security_world import World, row_counts

MEGABYTE = "ä" * (512 * 1024)  # 1 MB of UTF-8
WRONG = ["abc", "-1", "99999999999999999999", "", "2026-13-45", "1e309", "NaN", "0x1F",
         "' OR 1=1", "<b>x</b>", "😀"]
ROLES: list[str | None] = [None, "citizen_a", "admin"]


def _other_fields(form: Form) -> list[str]:
    text = set(form.text_fields())
    return [name for name, elements in form.fields.items()
            if name not in text and name != "csrf_token"
            and elements[0].get("type") not in ("submit", "button", "file")]


def _kept(before: dict[str, int]) -> None:
    after = row_counts()
    assert not {t for t, n in before.items() if after[t] < n}


def test_a_megabyte_in_every_text_field(world: World) -> None:
    """Each form once, as the first role (least privileged) that can submit it."""
    before = row_counts()
    seen: set[tuple[str, str]] = set()
    for who in ROLES[:2] + ["organiser_a", "official", "admin"]:
        forms = [f for f in discover_forms(world, who) if (f.method, f.action) not in seen]
        seen.update((f.method, f.action) for f in forms)
        for form, response in submit_every_form(world, who, MEGABYTE, forms):
            assert response.status_code < 500, (who, form.action)
            if response.status_code == 200 and form.method == "POST":
                assert "error" in response.get_data(as_text=True).lower(), form.action
    _kept(before)


def test_wrong_types_and_invalid_choices_in_every_other_field(world: World) -> None:
    before = row_counts()
    checked = 0
    for who in ROLES:
        client = world.client(who)
        for form in discover_forms(world, who):
            if form.action.startswith(("/account/logout", "/account/delete")):
                continue
            fields = _other_fields(form)
            if not fields:
                continue
            for value in WRONG:
                data = fill(form, "text")
                data.update({name: value for name in fields})
                response = (client.get(form.action, query_string=data) if form.method == "GET"
                            else client.post(form.action, data=data))
                assert response.status_code < 500, (who, form.action, value)
                checked += 1
    assert checked > 100
    _kept(before)


def test_paging_and_filters_with_wrong_values(world: World) -> None:
    names = ["page", "since", "until", "option", "category", "status", "year", "kind", "topic",
             "spam", "public", "actor", "q", "per_page"]
    for who in ("official", "admin", "organiser_a", None):
        client = world.client(who)
        for _endpoint, path in every_url(world):
            for value in WRONG + ["-5", "0", "2147483648"]:
                response = client.get(path, query_string={n: value for n in names})
                assert response.status_code < 500, (who, path, value)


def test_invalid_utf8_in_query_and_body(world: World) -> None:
    client = world.client("citizen_a")
    for path in ("/events/", f"/consultations/{world.consultation.slug}/responses", "/account/",
                 "/api/v1/consultations", "/admin/users"):
        response = client.get(path + "?q=%ff%fe%c3%28&page=%80")
        assert response.status_code < 500, path
    for path in ("/account/", "/account/login", f"/events/{world.workshop.id}/register"):
        response = client.post(path, data=b"prefs-display_name=%ff%fe&email=%c3%28&name=\xff\xfe",
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, path
        response = client.post(path, data=b"\xff\xfe\x00garbage",
                               content_type="multipart/form-data; boundary=xyz")
        assert response.status_code < 500, path
