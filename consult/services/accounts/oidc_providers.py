"""The OpenID Connect providers people may log in with, read from OIDC_PROVIDERS.

Each provider is a dict (in instance/config.py) or a JSON object (in the
CONSULT_OIDC_PROVIDERS list):

    {"name": "digid", "issuer": "https://broker.example/digid",
     "client_id": "consult", "client_secret": "...",
     "label": {"nl": "DigiD", "en": "DigiD"},
     "verifies_organisations": false, "scope": "openid email",
     "kvk_claim": "kvk"}

`name` is the provider's part of the callback URL (/account/oidc/<name>/callback), so
it is lower-case letters, digits and hyphens. An issuer is https, except on loopback
(the test provider). A provider with `verifies_organisations` (an eHerkenning broker)
marks the people who log in through it as having signed in through a verified route;
when its ID token names the company's KvK number (in the claim `kvk_claim`, default
"kvk"), the organisation with that number that the person declared is verified by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from consult.config import ConfigError

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_SCOPE = "openid email"


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    labels: dict[str, str]
    verifies_organisations: bool = False
    scope: str = DEFAULT_SCOPE
    #: The ID token claim with the KvK number the provider vouches for (eHerkenning).
    kvk_claim: str = "kvk"

    def label(self, locale: str) -> str:
        """The provider's name to show, in `locale` (else Dutch, else any)."""
        return self.labels.get(locale) or self.labels.get("nl") or next(iter(self.labels.values()))


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"OIDC_PROVIDERS{where}: '{key}' must be a non-empty text")
    return value.strip()


def _issuer(entry: dict[str, Any], where: str) -> str:
    issuer = _text(entry, "issuer", where).rstrip("/")
    parts = urlsplit(issuer)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK
    )
    if not secure or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"OIDC_PROVIDERS{where}: 'issuer' must be an https URL (http only on loopback)"
        )
    return issuer


def _labels(entry: dict[str, Any], where: str) -> dict[str, str]:
    labels = entry.get("label")
    if isinstance(labels, str) and labels.strip():
        return {"nl": labels.strip(), "en": labels.strip()}
    if (
        not isinstance(labels, dict)
        or not labels
        or not all(isinstance(v, str) and v.strip() for v in labels.values())
    ):
        raise ConfigError(
            f"OIDC_PROVIDERS{where}: 'label' must be a text or {{\"nl\": ..., \"en\": ...}}"
        )
    return {str(k): v.strip() for k, v in labels.items()}


def parse_provider(entry: object, position: int) -> Provider:
    where = f"[{position}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"OIDC_PROVIDERS{where} must be an object")
    name = _text(entry, "name", where)
    if not _NAME.match(name):
        raise ConfigError(
            f"OIDC_PROVIDERS{where}: 'name' must be lower-case letters, digits and hyphens"
        )
    scope = entry.get("scope", DEFAULT_SCOPE)
    if not isinstance(scope, str) or "openid" not in scope.split():
        raise ConfigError(f"OIDC_PROVIDERS{where}: 'scope' must include openid")
    flag = entry.get("verifies_organisations", False)
    if not isinstance(flag, bool):
        raise ConfigError(f"OIDC_PROVIDERS{where}: 'verifies_organisations' must be true or false")
    kvk_claim = entry.get("kvk_claim", "kvk")
    if not isinstance(kvk_claim, str) or not kvk_claim.strip():
        raise ConfigError(f"OIDC_PROVIDERS{where}: 'kvk_claim' must be a non-empty text")
    return Provider(
        kvk_claim=kvk_claim.strip(),
        name=name,
        issuer=_issuer(entry, where),
        client_id=_text(entry, "client_id", where),
        client_secret=_text(entry, "client_secret", where),
        labels=_labels(entry, where),
        verifies_organisations=flag,
        scope=scope,
    )


def parse_providers(entries: Iterable[object] | None) -> dict[str, Provider]:
    """The configured providers by name; a ConfigError says what is wrong."""
    providers: dict[str, Provider] = {}
    for position, entry in enumerate(entries or []):
        provider = parse_provider(entry, position)
        if provider.name in providers:
            raise ConfigError(f"OIDC_PROVIDERS: the name '{provider.name}' is used twice")
        providers[provider.name] = provider
    return providers


def configured_providers() -> dict[str, Provider]:
    """The current app's providers (checked once, when the app was built)."""
    providers: dict[str, Provider] = current_app.extensions["oidc_providers"]
    return providers


def provider_named(name: str) -> Provider | None:
    return configured_providers().get(name)
