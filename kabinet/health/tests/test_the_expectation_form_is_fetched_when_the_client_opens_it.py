"""The client's home does not render the expectation form on every visit: it is fetched when she
opens "What result do you expect?" (htmx), or opened as a page of its own without JavaScript —
with her client-visible KPIs only, and for nobody else."""

from __future__ import annotations

import pytest

from kabinet.health import services


@pytest.fixture
def internal(project, sergey, as_viewer):
    return services.create_metric(
        viewer=as_viewer(sergey),
        project=project,
        key="cost_per_lead",
        name="Цена заявки",
        visibility="internal",
    )


def test_the_home_links_the_form_instead_of_rendering_it(project, sessions, marina, login):
    url = f"/projects/{project.pk}/overview/expectation/"
    page = login(marina).get(f"/projects/{project.pk}/overview/").content.decode()
    assert 'data-testid="state-expectation"' in page
    assert f'hx-get="{url}"' in page
    assert 'name="target"' not in page


def test_opened_with_htmx_the_form_lists_her_client_visible_kpis_only(
    project, sessions, internal, marina, login
):
    response = login(marina).get(
        f"/projects/{project.pk}/overview/expectation/", HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert 'name="target"' in fragment and 'name="by_date"' in fragment
    assert f'value="{sessions.pk}"' in fragment
    assert f'value="{internal.pk}"' not in fragment and "Цена заявки" not in fragment


def test_without_javascript_the_form_is_a_page_of_its_own(project, sessions, marina, login):
    response = login(marina).get(f"/projects/{project.pk}/overview/expectation/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page and 'name="target"' in page
    assert f'action="/projects/{project.pk}/overview/expectation/"' in page


def test_staff_and_another_companys_client_get_404(project, sessions, sergey, oleg, login):
    url = f"/projects/{project.pk}/overview/expectation/"
    assert login(sergey).get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert login(oleg).get(url, HTTP_HX_REQUEST="true").status_code == 404
