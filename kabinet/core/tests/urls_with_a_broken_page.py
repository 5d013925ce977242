"""The product's URLs plus one page that always fails, for the 500-page test."""

from __future__ import annotations

from django.urls import path

from kabinet.urls import urlpatterns as product_urls


def broken(request):
    raise RuntimeError("secret-internal-detail: database password is hunter2")


urlpatterns = [path("broken/", broken), *product_urls]
