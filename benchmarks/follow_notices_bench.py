"""Follow notices benchmark: mails per second for N followers, one worker and two at once.

Run: `python benchmarks/follow_notices_bench.py [--followers 500] [--database URL]`.
It builds a throw-away SQLite database (or empties --database), makes an open
consultation whose topic N confirmed addresses follow, and times `send_due` at a moment
when two notices are due for each (opened, one week before the close): once with one
worker, and again (fresh deliveries) with two threads at once. Mails go to the outbox
folder (files), so the figure is the claim-then-mail overhead, not an SMTP server's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import delete, select, text  # noqa: E402

from consult import create_app  # noqa: E402
from consult.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=500)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="consult-bench-")
    url = args.database or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["CONSULT_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                      "MAIL_OUTBOX": os.path.join(workdir, "outbox"), "SERVER_NAME": "bench"})
    from consult.models import NoticeDelivery, Subscription, utcnow
    from consult.services.catalogue import ensure_catalogues
    from consult.services.follow import notices, targets
    from tests.factories.consultations import build_consultation

    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        ensure_catalogues()
        consultation = build_consultation(slug="bench")
        target = targets.parse("topic:cultivated-meat-fish")
        for n in range(args.followers):
            db.session.add(Subscription(
                email=f"f{n}@example.nl", locale="nl" if n % 2 else "en",
                target=target.kind, target_key=target.key, topic_id=target.topic.id,  # type: ignore[union-attr]
                unsubscribe_token=f"bench-{n}", created_at=utcnow() - timedelta(days=1),
                confirmed_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        assert consultation.closes_at is not None
        moment = consultation.closes_at - timedelta(days=6)
        figures = []
        for workers in (1, 2):
            db.session.execute(delete(NoticeDelivery))
            db.session.commit()
            sent: list[int] = []

            def work(sent: list[int] = sent) -> None:
                with app.app_context():
                    sent.append(notices.send_due(moment))

            started = time.perf_counter()
            threads = [threading.Thread(target=work) for _ in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            claimed = db.session.scalar(select(db.func.count()).select_from(NoticeDelivery))
            figures.append({"database": url.split(":")[0], "followers": args.followers,
                            "workers": workers, "mails": sum(sent), "per_worker": sent,
                            "deliveries": claimed, "seconds": round(seconds, 2),
                            "mails_per_second": round(sum(sent) / seconds, 1)})
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
