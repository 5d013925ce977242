"""Demo weekly digests: the week that ended is drafted for every active project, as the Monday
job does, so that the manager finds the week's drafts waiting. Зелёный Сад (Oleg) opted in to
get the digest as drafted, so his letter is already sent and in his chronology; ТехноДом's
(Marina's) waits for Sergey to read, edit and send it. Idempotent: once per project and week."""

from __future__ import annotations

from kabinet.core.scoping import Viewer
from kabinet.health.digests import services


def populate(ctx) -> None:
    oleg = ctx.users.get("oleg")
    company = next((c for c in ctx.companies if c.name == "Зелёный Сад"), None)
    if oleg is not None and company is not None and ctx.new_projects:
        client = Viewer(user=oleg, agency=ctx.agency, role="client", company_id=company.pk)
        services.set_send_as_drafted(viewer=client, company=company, enabled=True)
    services.draft_due_digests(now=ctx.now, agencies=[ctx.agency])
