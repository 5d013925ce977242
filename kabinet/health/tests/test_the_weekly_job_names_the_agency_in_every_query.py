"""Every statement of the weekly job names the agency (kabinet/core/tests/tenant_sql.py: the
condition for distributing the data by agency). The test over every job runs it on the demo,
whose week is already drafted; here it drafts two agencies' busy weeks and sends the letters of
the companies that chose to get them as drafted."""

from __future__ import annotations

from django.db import connection

from kabinet.core.testing import Role, make_company, make_user
from kabinet.core.tests.tenant_sql import check
from kabinet.health.digests import services
from kabinet.health.models import DigestSetting
from kabinet.health.tests import digest_week as w
from kabinet.health.tests.digest_projects import busy_project


def test_drafting_names_the_agency(
    company, other_company, sergey, irina, marina, oleg, stranger_agency
):
    stranger_company = make_company(stranger_agency, "Чужая компания")
    make_user(stranger_agency, "client@other.test", Role.CLIENT, company=stranger_company)
    stranger_manager = make_user(stranger_agency, "am@other.test", Role.ACCOUNT_MANAGER)
    busy_project(company, sergey, "Альфа", lines=3)
    busy_project(other_company, irina, "Гамма", lines=3)
    busy_project(stranger_company, stranger_manager, "Чужой", lines=3)
    for chose in (company, stranger_company):
        DigestSetting.objects.create(agency=chose.agency, company=chose, send_as_drafted=True)
    findings = []

    def recording(execute, sql, params, many, context):
        finding = check(sql, connection.vendor, "job", [])
        if finding is not None:
            findings.append(finding.shape)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recording):
        assert services.draft_due_digests(now=w.DRAFTED_AT) == {"drafted": 3, "sent": 2}

    assert findings == []
