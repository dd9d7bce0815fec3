"""The members app's part of a signed-in user's home (see aiii/home.py): an applicant's
application, and the secretariat's applications waiting for a decision."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.home import Action, Panel
from aiii.permissions import is_secretariat, pending_roles

from .selectors.applications import application_of, applications_waiting_count


def actions(request):
    user = request.user
    if is_secretariat(user):
        url = reverse("secretariat:applications")
        return [Action(_("Applications to decide"), url, applications_waiting_count(), 10)]
    return []


def panels(request):
    user = request.user
    if "applicant" not in pending_roles(user):
        return []
    application = application_of(user)
    return [Panel("members/home/application.html", {"application": application}, order=5)]
