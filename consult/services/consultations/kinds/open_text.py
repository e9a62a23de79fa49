"""Open text: a free answer of at most `max_length` characters, moderated before it is
published or quoted.

Field `q<id>`; stored as `Answer.text`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Answer, ModerationStatus, Principle, Question, QuestionKind, Response
from consult.services.consultations.similarity import normalised_hash

from . import names
from .base import Kind, Shown, first
from .shapes import AnswerRow, ParsedAnswer, ParsedPage, RawForm, Typed

DEFAULT_MAX_LENGTH = 2000


class OpenText(Kind):
    value = QuestionKind.OPEN_TEXT.value
    label = _l("Open text")
    free_text = True
    limits_length = True
    default_max_length = DEFAULT_MAX_LENGTH

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        name = names.field(question.id)
        text = first(raw, name).replace("\r\n", "\n")
        limit = question.max_length or DEFAULT_MAX_LENGTH
        parsed = ParsedAnswer(question, text=text or None)
        if page.requires(question) and not text:
            page.errors[name] = _l("Write an answer.")
        elif len(text) > limit:
            page.errors[name] = _l(
                "Your answer has %(n)s characters; at most %(max)s are allowed.",
                n=len(text), max=limit,
            )
        return parsed

    def store(self, answer: Answer, parsed: ParsedAnswer) -> None:
        """A changed text goes (back) to the moderation queue."""
        if answer.text != parsed.text:
            answer.moderation = ModerationStatus.PENDING
            answer.text_hash = normalised_hash(parsed.text or "")
        super().store(answer, parsed)

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        return {names.field(question.id): [answer.text or ""]}

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        return [answer.text] if answer is not None and answer.text else []

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        _value, _number, text, moderation = answer
        if public and moderation != ModerationStatus.APPROVED:
            text = None
        return [(names.export_key(question.id), text)]

    def api_fields(self, question: Question) -> dict[str, Any]:
        return {"max_length": question.max_length}

    def api_answers(self, question: Question, response: Response, votes: Mapping[int, int],
                    texts: Mapping[int, str]) -> dict[str, Any]:
        if question.id not in texts:
            return {}
        return {names.field(question.id): texts[question.id]}
