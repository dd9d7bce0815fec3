"""The annual forum's key public pages for the benchmark command (aiii/.../benchmark.py).

All are read by visitors without an account. The intervention page is the demo's published
intervention of Switzerland, listed once the demo data is there.
"""

from django.utils import timezone

from .demo import SWISS_PUBLISHED_TITLE


def pages():
    from .models import Intervention

    year = timezone.localdate().year
    pages = [
        ("forum: current year", "/forum/", None),
        ("forum: year page", f"/forum/{year}/", None),
        ("forum: JSON interventions", f"/forum/api/years/{year}/interventions", None),
    ]
    published = (
        Intervention.objects.published()
        .filter(meeting__year=year, title=SWISS_PUBLISHED_TITLE)
        .select_related("meeting")
        .first()
    )
    if published is not None:
        pages.append(("forum: intervention", published.get_absolute_url(), None))
    return pages
