"""The words of the five-point scales and of a statement vote, translated lazily.

One place for them: the question partials, the review and receipt lines use these."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LIKERT = {1: _l("Strongly disagree"), 2: _l("Disagree"), 3: _l("Neither agree nor disagree"),
          4: _l("Agree"), 5: _l("Strongly agree")}
IMPORTANCE = {1: _l("Not important"), 2: _l("A little important"), 3: _l("Fairly important"),
              4: _l("Important"), 5: _l("Very important")}
VOTES = {1: _l("Agree"), -1: _l("Disagree"), 0: _l("Pass")}
#: (stored value, input id suffix, label) in the order the form shows them
VOTE_CHOICES = [("1", "agree", VOTES[1]), ("-1", "disagree", VOTES[-1]), ("0", "pass", VOTES[0])]
#: The Likert labels in both languages as the result rows (report, API) name them. Not
#: the catalogue's translation: its Dutch for 3 is "Neutraal", the form's is longer.
LIKERT_RESULT_LABELS = {
    1: ("Helemaal oneens", "Strongly disagree"),
    2: ("Oneens", "Disagree"),
    3: ("Neutraal", "Neither agree nor disagree"),
    4: ("Eens", "Agree"),
    5: ("Helemaal eens", "Strongly agree"),
}
