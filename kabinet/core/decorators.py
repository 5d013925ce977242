from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from kabinet.core.scoping import viewer_for


def viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required, and the user must belong to an agency; `request.viewer` is then a Viewer."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        viewer = viewer_for(request.user)
        if viewer is None:
            raise Http404
        request.viewer = viewer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
