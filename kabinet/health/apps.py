from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "kabinet.health"
    label = "health"
    verbose_name = _("Results and KPIs")

    def project_links(self, viewer, project) -> list[dict]:
        if viewer is None:
            return []
        links = [{"url": reverse("health:project_home", args=[project.pk]), "label": _("Overview")}]
        if viewer.is_staff:
            links.append({"url": reverse("health:kpis", args=[project.pk]), "label": _("KPIs")})
        if viewer.is_client or viewer.is_manager:
            links.append(
                {
                    "url": reverse("health:project_digest", args=[project.pk]),
                    "label": _("Weekly digest"),
                }
            )
        return links

    def nav_items(self, viewer) -> list[dict]:
        # Account managers send the digests every week; the head reaches them from a project.
        # The head's own page — every client and manager at a glance — is one click from
        # anywhere (it was two, through /projects/ and /results/, and easy to miss). The
        # needs-attention list (/results/) is linked from both.
        if viewer is None:
            return []
        if viewer.role == "account_manager":
            return [{"url": reverse("health:digests"), "label": _("Digests")}]
        if viewer.role == "head":
            return [{"url": reverse("health:agency"), "label": _("Understanding")}]
        return []
