"""The OIDC_PROVIDERS setting: read from the environment as JSON, and refused at start
with a message that names the entry and the key when it cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consult.config import ConfigError, from_environment
from consult.services.accounts.oidc_providers import parse_providers
from tests.support.apps import make_app
from tests.support.oidc import provider_config

GOOD = provider_config("https://login.example.nl/digid")


def test_the_environment_gives_a_json_list() -> None:
    found = from_environment({"CONSULT_OIDC_PROVIDERS": json.dumps([GOOD])})
    assert found["OIDC_PROVIDERS"] == [GOOD]
    with pytest.raises(ConfigError, match="CONSULT_OIDC_PROVIDERS must be a JSON list"):
        from_environment({"CONSULT_OIDC_PROVIDERS": '{"name": "x"}'})
    with pytest.raises(ConfigError, match="JSON list"):
        from_environment({"CONSULT_OIDC_PROVIDERS": "[not json"})


def test_a_good_provider_is_read_with_its_labels_and_flag() -> None:
    providers = parse_providers([GOOD, {**GOOD, "name": "eh", "label": "eHerkenning",
                                        "verifies_organisations": True}])
    assert providers["test-id"].label("en") == "Test-ID"
    assert providers["eh"].label("nl") == "eHerkenning" and providers["eh"].verifies_organisations
    assert not providers["test-id"].verifies_organisations
    assert parse_providers([{**GOOD, "issuer": "http://127.0.0.1:9000/"}])["test-id"].issuer == (
        "http://127.0.0.1:9000"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "DigiD!"}, r"\[0\]: 'name' must be lower-case"),
        ({"issuer": "http://login.example.nl"}, r"'issuer' must be an https URL"),
        ({"issuer": "ftp://login.example.nl"}, r"'issuer' must be an https URL"),
        ({"client_id": ""}, r"'client_id' must be a non-empty text"),
        ({"client_secret": None}, r"'client_secret' must be a non-empty text"),
        ({"label": {}}, r"'label' must be a text or"),
        ({"scope": "email"}, r"'scope' must include openid"),
        ({"verifies_organisations": "yes"}, r"'verifies_organisations' must be true or false"),
    ],
)
def test_an_unusable_provider_is_refused_with_a_clear_message(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_providers([{**GOOD, **change}])


def test_a_name_used_twice_or_an_entry_that_is_no_object_is_refused() -> None:
    with pytest.raises(ConfigError, match="used twice"):
        parse_providers([GOOD, GOOD])
    with pytest.raises(ConfigError, match=r"\[1\] must be an object"):
        parse_providers([GOOD, "digid"])


def test_the_app_does_not_start_with_an_unusable_provider(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'issuer'"):
        make_app(tmp_path, OIDC_PROVIDERS=[{**GOOD, "issuer": "http://login.example.nl"}])
