"""Ids in URLs: huge, negative and non-numeric values in every `<int:...>` segment are a
404, never a 500 (an id past the database's integer range used to overflow)."""

from __future__ import annotations

from tests.support.crawl import _arguments, every_url, routes, url_for_rule
from tests.support.security_world import World

OUT_OF_RANGE = ["99999999999999999999", "2147483648", "-1"]
ODD = ["0", "1e3", "abc", "1%00"]


def test_every_id_segment_refuses_out_of_range_values(world: World) -> None:
    values = _arguments(world, "a")
    checked = 0
    for who in (None, "citizen_a", "organiser_a", "admin"):
        client = world.client(who)
        for method in ("GET", "POST"):
            for rule in routes(world.app, method):
                ints = [n for n, c in rule._converters.items()  # noqa: SLF001
                        if type(c).__name__.endswith("IntegerConverter")]
                for name in ints:
                    for bad in OUT_OF_RANGE + ODD:
                        path = url_for_rule(rule, {**values, name: bad})
                        response = client.open(path, method=method)
                        status = response.status_code
                        assert status < 500, (who, method, path, status)
                        if bad in OUT_OF_RANGE:
                            assert status in (302, 400, 403, 404), (who, method, path)
                        checked += 1
    assert checked > 200


def test_the_largest_database_integer_is_still_a_plain_404(world: World) -> None:
    client = world.client("admin")
    assert client.get("/api/v1/events/2147483647").status_code == 404
    assert client.get("/events/2147483647").status_code == 404
    assert client.get("/api/v1/events/99999999999999999999").status_code == 404


def test_the_sweep_uses_every_url(world: World) -> None:
    assert len(every_url(world)) > 70
