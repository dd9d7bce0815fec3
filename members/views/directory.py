"""The members' directory, a member's profile page and one's own profile (/members/...)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, member_required, signed_in
from aiii.fragments import cached_fragment
from aiii.layout import fragment_page
from aiii.pagination import paginate

from ..forms.people import DirectoryFilterForm, ProfileForm
from ..models import MEMBERS_DATA, Profile
from ..permissions import can_edit_own_profile
from ..selectors.people import directory_profiles, profiles_visible_to, public_view
from ..services.people import profile_update

ME_CONTENT = "members/includes/me_content.html"


@member_required
@require_safe
def directory(request):
    def context():  # run only when the content is not cached (aiii/fragments.py)
        form = DirectoryFilterForm(request.GET or None)
        filters = form.filters()
        page = paginate(request, directory_profiles(user=request.user, filters=filters))
        entries = [public_view(profile) for profile in page]
        list_view = request.GET.get("view") == "list"
        return {
            "form": form,
            "page": page,
            "entries": entries,
            "filtered": any(filters.values()),
            "list_view": list_view,
            "clear_url": reverse("members:directory") + ("?view=list" if list_view else ""),
        }

    content = cached_fragment(
        request,
        "members/includes/directory_content.html",
        datasets=[MEMBERS_DATA],
        context=context,
        params=[*DirectoryFilterForm.base_fields, "page", "view"],
    )
    return fragment_page(request, "members/people/directory.html", content)


@member_required
@require_safe
def profile(request, pk):
    member = get_visible_or_404(
        profiles_visible_to(request.user).select_related("user").prefetch_related("expertise"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "members/people/profile.html",
        {"entry": public_view(member), "is_me": member.user_id == request.user.pk},
    )


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def me(request):
    if not can_edit_own_profile(request.user):
        raise PermissionDenied

    def context(data=None):  # for a GET, run only when the content is not cached
        # A fresh copy: an invalid form must not change the request's own user.profile.
        own = get_object_or_404(Profile, user=request.user)
        in_directory = own.status == Profile.Status.ACTIVE
        form = ProfileForm(data, instance=own, directory=in_directory)
        return {"form": form, "profile": own, "in_directory": in_directory}

    if request.method == "POST":
        found = context(request.POST)
        form, own = found["form"], found["profile"]
        if form.is_valid():
            profile_update(
                profile=own,
                data=form.profile_data(),
                expertise=form.cleaned_data.get("expertise") if found["in_directory"] else None,
            )
            messages.success(request, _("Your profile and settings are saved."))
            return redirect("members:me")
        content = render_to_string(ME_CONTENT, found, request=request)
        return render(request, "members/people/me.html", {"content": content}, status=400)
    # The unchanged form is the member's own page: kept for them alone (vary), until anything
    # of the members' data changes (their profile, areas, account).
    content = cached_fragment(
        request,
        ME_CONTENT,
        datasets=[MEMBERS_DATA],
        context=context,
        params=(),
        vary=(request.user.pk,),
    )
    return render(request, "members/people/me.html", {"content": content})
