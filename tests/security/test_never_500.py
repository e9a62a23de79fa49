"""Pages that used to answer 500 on data the rest of the suite produces."""

from __future__ import annotations

from tests.support.security_world import World


def test_analysis_page_with_a_group_too_small_to_show(world: World) -> None:
    """A group under five people is stored without a share (privacy); the page says "–"."""
    groups = world.extra["run"].results["groups"]
    assert any(g["suppressed"] and "share" not in g for g in groups)
    client = world.client("official")
    response = client.get(f"/officials/consultations/{world.consultation.slug}/analysis")
    assert response.status_code == 200
    assert "fewer than 5" in response.get_data(as_text=True)
