"""Helpers for the catalogues: English is the source language of the messages.

`fill_english` gives every empty English message its source text, so the English
catalogue is complete by construction while still allowing a better English wording to
be written in en/messages.po. `catalogue_problems` lists messages that are missing,
empty or fuzzy; the test suite fails on any.
"""

from __future__ import annotations

from babel.messages.pofile import read_po, write_po


def fill_english(path: str) -> int:
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string or ()):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False)
    return filled


def catalogue_problems(po_path: str, pot_path: str) -> list[str]:
    """Messages of the template that the catalogue lacks, leaves empty, or marks fuzzy."""
    with open(pot_path, "rb") as handle:
        template = read_po(handle)
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle)
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, message.context)
        key = message.id if isinstance(message.id, str) else message.id[0]
        if found is None:
            problems.append(f"missing: {key!r}")
        elif "fuzzy" in found.flags:
            problems.append(f"fuzzy: {key!r}")
        elif isinstance(found.string, tuple):
            if not all(found.string):
                problems.append(f"empty: {key!r}")
        elif not found.string:
            problems.append(f"empty: {key!r}")
    return problems
