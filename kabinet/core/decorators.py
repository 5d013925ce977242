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


FORM_TOKEN_FIELD = "form_token"


def once_per_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form rendered with `{% form_token %}` creates its record once, however often it is
    posted: the token is claimed (unique per user) in the same transaction as the view's writes.
    A second post of a token whose first post succeeded is sent where the first one went; a post
    that did not succeed (the form came back with errors) releases the token for the next try.
    Put it under `@viewer_required`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from django.db import IntegrityError, transaction
        from django.http import HttpResponseRedirect

        from kabinet.core.models import SubmittedForm

        token = request.POST.get(FORM_TOKEN_FIELD, "")[:64] if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        viewer = request.viewer
        try:
            with transaction.atomic():
                claim = SubmittedForm.objects.create(
                    agency=viewer.agency, user=request.user, token=token
                )
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303):
                    claim.location = response.get("Location", "")[:500]
                    claim.save(update_fields=["location"])
                else:
                    claim.delete()
                return response
        except IntegrityError:
            first = SubmittedForm.objects.filter(user=request.user, token=token).first()
            if first is None:  # the first post failed meanwhile: this one may go ahead
                return view(request, *args, **kwargs)
            return HttpResponseRedirect(first.location or request.path)

    return wrapper
