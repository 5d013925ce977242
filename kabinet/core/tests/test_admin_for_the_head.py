from __future__ import annotations

from kabinet.core.testing import make_company


def test_head_opens_the_admin_and_sees_only_their_agency(login, head, company, stranger_agency):
    from kabinet.core.services import grant_admin_to_head

    grant_admin_to_head(user=head)
    make_company(stranger_agency, "Чужой клиент")
    client = login(head)
    response = client.get("/admin/clients/clientcompany/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ТехноДом" in html and "Чужой клиент" not in html


def test_client_users_cannot_open_the_admin(login, marina):
    response = login(marina).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
