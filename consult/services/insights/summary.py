"""The plain-language summary of an analysis, in Dutch and in English.

Generated from the stored facts only (group sizes, composition, principle profiles,
representative, consensus and divisive statements), with translatable sentence templates
rendered once per language under `force_locale`, numbers in that language's format (3.042
and 47% in Dutch). The page's story (services.insights.story) reuses the pieces. Rules
for the wording:

- A principle is "far above/below average" when the group's mean importance differs from
  everyone's by at least 0.75 on the 1-5 scale, "above/below average" from 0.3.
- "Mostly <category>" names the category with most members when it holds at least 5.
- Groups of fewer than 5 respondents are not described (only counted).
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.i18n import local_number, local_percent

FAR = 0.75
NOTABLE = 0.3

CATEGORY_PLURALS = {
    "citizen": _l("citizens"),
    "civil_society": _l("civil-society organisations"),
    "knowledge_institution": _l("knowledge institutions"),
    "company": _l("companies"),
    "government": _l("government bodies"),
    "other": _l("other organisations"),
}


def _percent(share: float | None) -> str:
    return local_percent(share or 0.0) if share is not None else "?"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _quoted(entry: dict[str, Any], locale: str) -> str:
    text = entry.get("text_en") if locale == "en" and entry.get("text_en") else entry["text_nl"]
    return str(text).rstrip(" .")


def _group_sentences(group: dict[str, Any], locale: str) -> list[str]:
    name, share = group["letter"], _percent(group.get("share"))
    counted = [c for c in group.get("composition", []) if c["count"]]
    top = max(counted, key=lambda c: c["count"], default=None)
    if top is not None and (top["share"] or 0) >= 0.5:
        lines = [_("Group %(group)s (%(share)s of respondents) consists mostly of "
                   "%(category)s (%(category_share)s).", group=name, share=share,
                   category=CATEGORY_PLURALS[top["category"]],
                   category_share=_percent(top["share"]))]
    elif top is not None:
        lines = [_("Group %(group)s (%(share)s of respondents) is mixed; its largest part "
                   "are %(category)s (%(category_share)s).", group=name, share=share,
                   category=CATEGORY_PLURALS[top["category"]],
                   category_share=_percent(top["share"]))]
    else:
        lines = [_("Group %(group)s holds %(share)s of respondents.", group=name, share=share)]
    profile = [p for p in group.get("principles", []) if p["difference"] is not None]
    if profile:
        p = max(profile, key=lambda e: abs(e["difference"]))
        principle = _lower_first(p["name_en"] if locale == "en" else p["name_nl"])
        diff = p["difference"]
        if diff >= FAR:
            lines.append(_("It rates %(principle)s far above average.", principle=principle))
        elif diff >= NOTABLE:
            lines.append(_("It rates %(principle)s above average.", principle=principle))
        elif diff <= -FAR:
            lines.append(_("It rates %(principle)s far below average.", principle=principle))
        elif diff <= -NOTABLE:
            lines.append(_("It rates %(principle)s below average.", principle=principle))
    statements = group.get("statements", [])
    agree = next((s for s in statements if s["direction"] == "agree"), None)
    reject = next((s for s in statements if s["direction"] == "disagree"), None)
    if agree is not None:
        lines.append(_("It agrees with “%(statement)s” (%(percent)s of the group, against "
                       "%(others)s of the others).", statement=_quoted(agree, locale),
                       percent=_percent((agree["group_percent"] or 0) / 100),
                       others=_percent((agree["others_percent"] or 0) / 100)))
    if reject is not None:
        lines.append(_("It rejects “%(statement)s” (%(percent)s of the group disagrees, against "
                       "%(others)s of the others).", statement=_quoted(reject, locale),
                       percent=_percent((reject["group_percent"] or 0) / 100),
                       others=_percent((reject["others_percent"] or 0) / 100)))
    return lines


def strength_sentences(strength: dict[str, Any] | None) -> list[str]:
    """How clearly the groups stand apart, in plain words (call inside a locale)."""
    if not strength:
        return []
    level = strength["level"]
    if level == "strong":
        return [_("The groups stand clearly apart: answers without groups would almost never "
                  "look this divided, and the same groups come back in samples of the "
                  "respondents.")]
    if level == "moderate":
        return [_("The groups stand moderately apart: answers without groups would seldom "
                  "look this divided, but the borders between the groups shift somewhat "
                  "from sample to sample.")]
    return [_("The groups are weakly separated: they are cuts through a continuum of "
              "opinion, not separate camps. Read them as where people lean; many "
              "respondents sit between two groups.")]


def opening_lines(results: dict[str, Any]) -> list[str]:
    """How many groups among how many people, and how clearly they stand apart."""
    n = local_number(results.get("n_clustered", 0))
    if results.get("k", 0) <= 1:
        return [_("All %(n)s respondents are shown as one group, as asked.", n=n)]
    return [_("The analysis found %(k)s opinion groups among %(n)s respondents.",
              k=results["k"], n=n), *strength_sentences(results.get("strength"))]


def group_lines(results: dict[str, Any], locale: str, *, per_group: bool = False
                ) -> list[str]:
    """What sets each group apart (groups of fewer than 5 are only counted); with
    `per_group` one paragraph per group instead of one line per sentence."""
    groups = results.get("groups", [])
    if results.get("k", 0) <= 1:
        return []
    lines: list[str] = []
    for group in groups:
        if not group["suppressed"]:
            sentences = [str(s) for s in _group_sentences(group, locale)]
            lines.extend([" ".join(sentences)] if per_group else sentences)
    small = sum(1 for g in groups if g["suppressed"])
    if small:
        lines.append(ngettext(
            "%(num)s group of fewer than 5 respondents is not described.",
            "%(num)s groups of fewer than 5 respondents are not described.", small))
    return lines


def common_lines(results: dict[str, Any], locale: str, most: int = 2) -> list[str]:
    """The statements a majority in every group agrees or disagrees with."""
    lines = []
    for item in results.get("consensus", [])[:most]:
        if item["direction"] == "agree":
            lines.append(_("Most respondents in every group agree with “%(statement)s”.",
                           statement=_quoted(item, locale)))
        else:
            lines.append(_("Most respondents in every group disagree with "
                           "“%(statement)s”.", statement=_quoted(item, locale)))
    return lines


def divisive_lines(results: dict[str, Any], locale: str) -> list[str]:
    divisive = results.get("divisive", [])
    if not divisive:
        return []
    return [_("The groups differ most on “%(statement)s”.",
              statement=_quoted(divisive[0], locale))]


def summary_lines(results: dict[str, Any], locale: str) -> list[str]:
    """The summary as a list of sentences in `locale` ("nl" or "en")."""
    with force_locale(locale):
        if not results.get("groups", []):
            return []
        lines = [*opening_lines(results), *group_lines(results, locale),
                 *common_lines(results, locale), *divisive_lines(results, locale)]
        return [str(line) for line in lines]


def summaries(results: dict[str, Any]) -> dict[str, list[str]]:
    return {locale: summary_lines(results, locale) for locale in ("nl", "en")}
