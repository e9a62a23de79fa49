"""Password rules and hashing (Argon2id).

A password has at least 8 characters and at most 1,024 (long passphrases welcome), is
not the person's email address, and is not easy to guess: zxcvbn estimates how many
guesses it takes, counting common passwords, words, names, keyboard patterns, sequences,
repeats, dates and the person's own details, and a score below STRONG_ENOUGH is refused.
zxcvbn's own feedback is English only, so the advice shown is ours (nl and en), chosen
from the weakest part it found.
"""

from __future__ import annotations

import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1024
#: zxcvbn's score from 0 (guessed at once) to 4; 3 means more than 10^8 guesses, which
#: zxcvbn calls "safely unguessable" for an online attack (logins are rate-limited).
STRONG_ENOUGH = 3
#: zxcvbn's time grows with the length; the first this many characters decide.
ESTIMATE_LENGTH = 64
#: Words zxcvbn does not know but a guesser for this site would try first.
SITE_WORDS = (
    "consult", "consultatie", "internetconsultatie", "biotechnologie", "kweekvlees",
    "welkom", "wachtwoord", "geheim", "zomer", "winter", "lente", "herfst", "nederland",
    "amsterdam", "rotterdam", "denhaag", "utrecht", "liefde", "voetbal", "ajax",
)

_hasher = PasswordHasher()
#: Checked against when the account does not exist, so that costs the same time.
_DUMMY_HASH = _hasher.hash("not a real password, used for timing only")

#: Advice for the weakest kind of part zxcvbn found, by its pattern name.
_ADVICE_BY_PATTERN = {
    "user_inputs": _l("It contains your name or your email address."),
    "passwords": _l("It is, or looks like, one of the most used passwords."),
    "l33t": _l("Replacing letters by look-alike digits or symbols (like @ for a) "
               "hardly helps."),
    "repeat": _l("Repeated characters or words (like aaa or abcabc) are easy to guess."),
    "sequence": _l("Sequences like abc or 1234 are easy to guess."),
    "spatial": _l("Rows of keys like qwerty or asdf are easy to guess."),
    "date": _l("Dates and years are easy to guess."),
    "words": _l("A single word, name or word with a few digits is easy to guess."),
    "bruteforce": _l("A short password is quickly found by trying every combination."),
}


def password_problem(
    password: str, email: str | None = None, name: str | None = None
) -> object | None:
    """Why this password cannot be used, or None when it can."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        return _l("Do not use your email address as password.")
    result = estimate(password, email, name)
    if result["score"] >= STRONG_ENOUGH:
        return None
    return _l(
        "This password is too easy to guess. %(why)s Use a few uncommon words instead, "
        "for example a short sentence only you would make up.",
        why=_advice(result["sequence"]),
    )


def estimate(password: str, email: str | None = None, name: str | None = None) -> Any:
    """zxcvbn's estimate, knowing the person's own details and this site's words."""
    return zxcvbn(password[:ESTIMATE_LENGTH], user_inputs=personal_words(email, name))


def personal_words(email: str | None, name: str | None) -> list[str]:
    """The person's details as separate words: the address, its parts, the name's parts."""
    words: list[str] = list(SITE_WORDS)
    for text in (email, name):
        if text:
            words.append(text.lower())
            words.extend(part for part in re.split(r"[\W_]+", text.lower()) if len(part) > 2)
    return words


def _advice(sequence: list[dict[str, Any]]) -> object:
    """Our advice for the largest guessable part of the password (not random letters)."""
    parts = [m for m in sequence if m.get("pattern") != "bruteforce"] or sequence
    if not parts:
        return _ADVICE_BY_PATTERN["bruteforce"]
    largest = max(parts, key=lambda m: (len(str(m.get("token", ""))), -float(m["guesses"])))
    return _ADVICE_BY_PATTERN.get(_kind(largest), _ADVICE_BY_PATTERN["words"])


def _kind(match: dict[str, Any]) -> str:
    pattern = str(match.get("pattern"))
    if pattern == "dictionary":
        if match.get("l33t"):
            return "l33t"
        source = match.get("dictionary_name")
        if source == "user_inputs" and match.get("matched_word") in SITE_WORDS:
            return "passwords"  # a word everybody here would try first
        if source in ("user_inputs", "passwords"):
            return str(source)
        return "words"
    if pattern == "regex":
        return "date" if match.get("regex_name") == "recent_year" else "words"
    return pattern


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown account) spend the same time and say no."""
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
