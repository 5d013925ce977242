"""Every API endpoint, found from the published schema (so a new one cannot be forgotten), keeps
Marina (a client of ТехноДом) to her company's client-visible items.

- every GET with an id answers 404 for another company's ids and for another agency's ids;
- every GET answers her own ids without a single internal item;
- a path parameter this test does not know fails the test: say which item it names below.
"""

from __future__ import annotations

import re

import pytest

from kabinet.api.main import api as v1
from kabinet.core.testing import Role, make_company, make_project, make_user

PARAM = re.compile(r"\{(\w+)\}")


def get_operations() -> list[tuple[str, dict]]:
    schema = v1.get_openapi_schema()
    return [
        (path, op) for path, ops in schema["paths"].items() for m, op in ops.items() if m == "get"
    ]


@pytest.fixture
def worlds(agency, marina, sergey, oleg, irina, project, other_project, stranger_agency, fill):
    far_company = make_company(stranger_agency, "Чужая компания")
    far_manager = make_user(stranger_agency, "am@other.test", Role.ACCOUNT_MANAGER)
    far_client = make_user(stranger_agency, "client@other.test", Role.CLIENT, company=far_company)
    far_project = make_project(far_company, "SEO far", manager=far_manager)
    return {
        "own": fill(project, sergey, marina, "OWN"),
        "other company": fill(other_project, irina, oleg, "FOREIGN"),
        "other agency": fill(far_project, far_manager, far_client, "FOREIGN"),
    }


def fill_path(path: str, ids: dict[str, list[int]], index: int = 0) -> str | None:
    def one(match: re.Match) -> str:
        name = match.group(1)
        assert name in ids, (
            f"{path}: no item for {{{name}}} — add one to kabinet/api/tests/conftest.py"
        )
        return str(ids[name][min(index, len(ids[name]) - 1)])

    return PARAM.sub(one, path)


def test_the_walk_finds_the_endpoints():
    paths = [path for path, _op in get_operations()]
    assert "/api/v1/projects" in paths and "/api/v1/events/{event_id}" in paths
    assert len(paths) >= 10


def test_every_get_with_another_companys_or_agencys_ids_is_404(agency, marina, api, worlds):
    client = api(marina, agency)
    refused = []
    for path, _op in get_operations():
        if not PARAM.search(path):
            continue
        for world in ("other company", "other agency"):
            ids = worlds[world].every
            for index in range(max(len(v) for v in ids.values())):
                url = fill_path(path, ids, index)
                response = client.get(url)
                if response.status_code != 404:
                    refused.append(f"{world}: GET {url} -> {response.status_code}")
    assert refused == []


def test_every_get_of_her_own_shows_nothing_internal_and_nothing_foreign(
    agency, marina, api, worlds
):
    client = api(marina, agency)
    own = worlds["own"]
    leaks, answered = [], 0
    for path, _op in get_operations():
        for index in range(max(len(v) for v in own.every.values())):
            url = fill_path(path, own.every, index)
            response = client.get(url)
            if response.status_code == 200:
                answered += 1
                if (
                    "INTERNAL" in response.content.decode()
                    or "FOREIGN" in response.content.decode()
                ):
                    leaks.append(url)
            elif response.status_code != 404:  # a staff-only page of her own project is a 404
                leaks.append(f"{url} -> {response.status_code}")
        for name, pks in own.internal.items():
            if "{" + name + "}" in path:
                url = fill_path(path, own.every | {name: pks})
                if client.get(url).status_code != 404:
                    leaks.append(f"internal {url}")
    assert leaks == []
    assert answered >= 8  # the walk really read her items
