"""The fixed catalogues: dialogue topics and the cabinet's ethical principles.

Each entry has a stable `code` that other data and the analysis refer to; the names are
stored in both languages so officials can edit wording without a code release.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import Bilingual


class _CatalogueEntry(Bilingual):
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    def name(self, locale: str) -> str:
        return self._pick("name", locale)

    def description(self, locale: str) -> str:
        return self._pick("description", locale)


class Topic(_CatalogueEntry, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    domain: Mapped[str] = mapped_column(String(40))  # health, circular_economy, food
    position: Mapped[int] = mapped_column(Integer, default=0)


class Principle(_CatalogueEntry, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "principles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
