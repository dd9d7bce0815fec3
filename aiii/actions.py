"""The one way a view turns a submitted form and a service call into a response.

    return form_action(
        request,
        form=RejectForm(request.POST, obj=application),
        perform=lambda data: application_reject(application=application, by=request.user, **data),
        page=lambda **kw: _detail(request, pk, **kw),
        success=_("The application was rejected."),
        then=application.get_secretariat_url(),
    )

- the form is invalid → `page(form=form, status=400)`: the same page, the form with its errors;
- the service raises `Conflict` (stale page, second decision, state moved on) →
  `page(error=message, status=409)`: the page reloaded, showing the object as it is now;
- the service raises any other `ServiceError` → the form again with the message (400);
- success → a message and a redirect (`then`), so a reload does not post again.

A GET of an action's URL (e.g. a reload after an error shown there) redirects to `then`'s page
rather than answering 405.
"""

from django.contrib import messages
from django.shortcuts import redirect

from .errors import Conflict, ServiceError


def form_action(request, *, form, perform, page, success, then):
    """See the module's docstring. `then` is the object's page (a URL); `success` may be a
    callable of the service's result."""
    if request.method != "POST":
        return redirect(then)
    if not form.is_valid():
        return page(form=form, status=400)
    try:
        result = perform(form.cleaned_data)
    except Conflict as refused:
        return page(error=refused.message, status=409)
    except ServiceError as refused:
        form.add_error(None, refused.message)
        return page(form=form, status=400)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then)
