"""Small pieces the members' view modules share."""

from django.shortcuts import render


def too_many_requests(request, message):
    """The 429 page of a rate limit, with `message` saying what to wait for."""
    return render(
        request, "members/applications/rate_limited.html", {"message": message}, status=429
    )
