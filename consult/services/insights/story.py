"""The plain-language story the officials' analysis page leads with, in the page's language.

Built at each page view from the stored run (no clustering) and the tasting shifts, in
four parts, each only when there is something to say:

1. the opinion groups: how many, how clearly they stand apart, what sets each apart,
   where they differ most (services.insights.summary);
2. where everyone agrees: the statements a majority in every group shares;
3. what changed at each tasting linked to the consultation: how many checked-in people
   answered before and after, and the answers whose change the exact sign test finds
   clear (p < 0.05), largest first; "too few to say" below 10 pairs;
4. what the written answers say: the largest topics per open question, each with its
   share; topic words in another language than the page carry their `lang`.

Everything is in the page's language only; numbers and dates in its format.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from consult.i18n import format_locale, local_date, local_number, local_percent
from consult.models import utcnow
from consult.services.insights import summary

#: A change counts as clear below this p-value of the exact sign test.
CLEAR = 0.05
#: At most this many changes are named per tasting.
MOST_CHANGES = 4
MOST_TOPICS = 3

TITLES = {
    "groups": _l("Opinion groups"),
    "common": _l("Where everyone agrees"),
    "tasting": _l("What changed at the tasting"),
    "topics": _l("What the written answers say"),
}


def _text(row: dict[str, Any], locale: str, key: str = "label") -> str:
    english = row.get(f"{key}_en")
    return str(english if locale == "en" and english else row[f"{key}_nl"]).rstrip(" .")


def _scale(value: float | None) -> str:
    """A score on -1..+1 with two decimals, in the page's format (-0,15 in Dutch)."""
    return format_decimal(value or 0.0, format="0.00", locale=format_locale())


def _change_line(row: dict[str, Any], locale: str) -> str:
    before, after = _scale(row["mean_before"]), _scale(row["mean_after"])
    up = (row["mean_change"] or 0) > 0
    if row.get("code"):  # a principle: its importance
        principle = summary._lower_first(_text(row, locale))
        if up:
            return _("After the tasting, participants found %(principle)s more important "
                     "(from %(before)s to %(after)s on a scale from -1 to +1).",
                     principle=principle, before=before, after=after)
        return _("After the tasting, participants found %(principle)s less important "
                 "(from %(before)s to %(after)s on a scale from -1 to +1).",
                 principle=principle, before=before, after=after)
    if up:
        return _("After the tasting, participants agreed more with “%(statement)s” "
                 "(from %(before)s to %(after)s on a scale from -1 to +1).",
                 statement=_text(row, locale), before=before, after=after)
    return _("After the tasting, participants agreed less with “%(statement)s” "
             "(from %(before)s to %(after)s on a scale from -1 to +1).",
             statement=_text(row, locale), before=before, after=after)


def tasting_lines(pair: dict[str, Any], locale: str) -> list[str]:
    """What changed at one tasting (`pair` as the view builds it: event and shift)."""
    event, shift = pair["event"], pair["shift"]
    title, day = event.title(locale), local_date(event.starts_at)
    if event.starts_at > utcnow():
        return [_("The tasting “%(title)s” takes place on %(date)s; what changed there can "
                  "be read here afterwards.", title=title, date=day)]
    if shift["suppressed"]:
        return [_("Fewer than 5 participants of the tasting “%(title)s” answered both before "
                  "and after, so no change is shown.", title=title)]
    lines = [_("At the tasting “%(title)s” of %(date)s, %(n)s people who were checked in "
               "answered before and after.", title=title, date=day,
               n=local_number(shift["n_pairs"]))]
    if shift["too_few"]:
        return [*lines, _("That is too few to say whether opinions changed.")]
    rows = [r for r in shift["items"] if r.get("kind") != "principle"] + shift["principles"]
    measured = [r for r in rows if r.get("n")]
    clear = sorted((r for r in measured if r.get("p_sign") is not None
                    and r["p_sign"] < CLEAR and r.get("mean_change")),
                   key=lambda r: -abs(r["mean_change"]))
    if not clear:
        return [*lines, _("No answer changed clearly: each change could be chance (exact "
                          "sign test, 5 per cent level).")]
    lines.extend(_change_line(r, locale) for r in clear[:MOST_CHANGES])
    if len(measured) > len(clear):
        lines.append(_("The other answers did not change clearly."))
    return lines


def topic_lines(results: dict[str, Any], locale: str) -> list[Markup]:
    """The largest topics per open question; words in another language keep their lang."""
    lines = []
    for question in results.get("topics", []):
        topics = question.get("topics") or []
        if not topics:
            continue
        language = question.get("language", "nl")
        words = []
        for topic in topics[:MOST_TOPICS]:
            label = escape(topic.get("label") or ", ".join(topic.get("terms", [])[:3]))
            if language != locale:
                label = Markup('<span lang="{}">{}</span>').format(language, label)
            words.append(escape(_("“%(topic)s” (%(share)s)")) % {
                "topic": label, "share": local_percent(topic.get("share"))})
        template = escape(_("In the %(n)s written answers to “%(question)s”, the largest "
                            "topics are: %(topics)s."))
        lines.append(template % {
            "n": local_number(question.get("n_texts", 0)),
            "question": _text(question, locale, "question"),
            "topics": Markup("; ").join(words)})
    return lines


def story(results: dict[str, Any] | None, shifts: list[dict[str, Any]], locale: str
          ) -> list[dict[str, Any]]:
    """The parts of the story that have something to say: [{key, title, lines}]."""
    parts: list[tuple[str, list[Any]]] = []
    if results and results.get("groups"):
        parts.append(("groups", [*summary.opening_lines(results),
                                 *summary.group_lines(results, locale, per_group=True),
                                 *summary.divisive_lines(results, locale)]))
        common = summary.common_lines(results, locale, most=3)
        parts.append(("common", common or [
            _("No statement has a majority in every group.")]))
    tasting = [line for pair in shifts for line in tasting_lines(pair, locale)]
    if tasting:
        parts.append(("tasting", tasting))
    if results:
        topics = topic_lines(results, locale)
        if topics:
            parts.append(("topics", topics))
    return [{"key": key, "title": TITLES[key], "lines": lines} for key, lines in parts if lines]
