"""Shared fixtures: the personas of DESIGN.md in one agency, plus a second company and a second agency.

- marina: client user of ТехноДом, whose project `project` is run by sergey (AM) and viktoria (SEO)
- oleg: client user of Зелёный Сад (`other_project`, run by irina) — must never see ТехноДом
- head: sees the whole agency; stranger_*: another agency entirely
"""

from __future__ import annotations

import pytest
from django.test import Client

from kabinet.core.testing import Role, make_agency, make_company, make_project, make_user


@pytest.fixture
def agency(db):
    return make_agency("digital-rost", "Цифровой Рост")


@pytest.fixture
def head(agency):
    return make_user(agency, "head@agency.test", Role.HEAD, full_name="Анна Королёва")


@pytest.fixture
def admin_head(head):
    """The head with the admin of their agency (the staff flag and the heads' group)."""
    from kabinet.core.services import grant_admin_to_head

    grant_admin_to_head(user=head)
    return head


@pytest.fixture
def sergey(agency):
    return make_user(
        agency, "sergey@agency.test", Role.ACCOUNT_MANAGER, full_name="Сергей Соловьёв"
    )


@pytest.fixture
def irina(agency):
    return make_user(agency, "irina@agency.test", Role.ACCOUNT_MANAGER, full_name="Ирина Павлова")


@pytest.fixture
def viktoria(agency):
    return make_user(agency, "viktoria@agency.test", Role.SPECIALIST, full_name="Виктория Лебедева")


@pytest.fixture
def company(agency):
    return make_company(agency, "ТехноДом", tier="gold")


@pytest.fixture
def other_company(agency):
    return make_company(agency, "Зелёный Сад")


@pytest.fixture
def marina(agency, company):
    return make_user(
        agency, "marina@client.test", Role.CLIENT, company=company, full_name="Марина Белова"
    )


@pytest.fixture
def oleg(agency, other_company):
    return make_user(
        agency, "oleg@client2.test", Role.CLIENT, company=other_company, full_name="Олег Фомин"
    )


@pytest.fixture
def project(company, sergey, viktoria):
    return make_project(company, "SEO technodom", manager=sergey, specialists=(viktoria,))


@pytest.fixture
def other_project(other_company, irina):
    return make_project(other_company, "SEO zelsad", manager=irina)


@pytest.fixture
def stranger_agency(db):
    return make_agency("other-agency", "Другое агентство")


@pytest.fixture
def stranger(stranger_agency):
    return make_user(stranger_agency, "head@other.test", Role.HEAD, full_name="Чужой руководитель")


@pytest.fixture
def login():
    """login(user) -> a Django test client logged in as that user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file with every migration applied, made once per session. Tests that run real
    `kabinet` processes copy it (kabinet.jobs.testing.use_migrated) instead of migrating again."""
    from kabinet.jobs.testing import migrate_once

    return migrate_once(tmp_path_factory.mktemp("migrated"))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the related-items answers are cached by text)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def fault_db(request, tmp_path, transactional_db):
    """The database shared by a fault-injection test and the processes it starts and kills, on
    the database the suite runs on: a copy of the migrated SQLite file, or the PostgreSQL test
    database itself (`transactional_db` empties it afterwards). See kabinet.jobs.testing."""
    from kabinet.jobs.testing import fault_db

    return fault_db(request, tmp_path)
