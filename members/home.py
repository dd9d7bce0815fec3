"""The members app's part of a signed-in user's home (see aiii/home.py): an applicant's
application, and the secretariat's applications waiting for a decision."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.fragments import cached_value
from aiii.home import Action, Panel
from aiii.permissions import is_secretariat, pending_roles

from .models import APPLICATIONS_DATA
from .selectors.applications import application_of, applications_waiting_count


def actions(request):
    user = request.user
    if is_secretariat(user):
        url = reverse("secretariat:applications")
        # The same for every secretariat viewer, kept until an application changes.
        count = cached_value(
            request,
            "members:applications_waiting",
            datasets=[APPLICATIONS_DATA],
            compute=applications_waiting_count,
        )
        return [Action(_("Applications to decide"), url, count, 10)]
    return []


def panels(request):
    user = request.user
    if "applicant" not in pending_roles(user):
        return []
    application = application_of(user)
    return [Panel("members/home/application.html", {"application": application}, order=5)]
