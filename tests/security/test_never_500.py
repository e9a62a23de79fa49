"""Pages that used to answer 500 on data the rest of the suite produces."""

from __future__ import annotations

from consult.extensions import db
from tests.support.security_world import World


def test_analysis_page_with_a_group_too_small_to_show(world: World) -> None:
    """A group under five people is stored without a share (privacy); the page says "–".

    The world's groups are all large enough now, so its last group is stored as the
    snapshot stores a group under five: no size, no share, no composition."""
    run = world.extra["run"]
    results = dict(run.results)
    groups = [dict(g) for g in results["groups"]]
    last = groups[-1]
    groups[-1] = {"index": last["index"], "letter": last["letter"], "size": None,
                  "suppressed": True, "centroid": last["centroid"]}
    results["groups"] = groups
    run.results = results
    db.session.commit()
    assert any(g["suppressed"] and "share" not in g for g in run.results["groups"])
    client = world.client("official")
    response = client.get(f"/officials/consultations/{world.consultation.slug}/analysis")
    assert response.status_code == 200
    assert "fewer than 5" in response.get_data(as_text=True)
