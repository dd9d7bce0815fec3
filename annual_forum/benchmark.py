"""Pages of the annual forum for the portal's benchmark command (see aiii's benchmark)."""


def pages():
    from django.utils import timezone

    from .models import Intervention

    year = timezone.localdate().year
    published = Intervention.objects.published().filter(meeting__year=year).order_by("pk").first()
    pages = [
        ("forum: current year", "/forum/", None),
        ("forum: year page", f"/forum/{year}/", None),
        ("forum: JSON interventions", f"/forum/api/years/{year}/interventions", None),
    ]
    if published is not None:
        pages.append(("forum: intervention", published.get_absolute_url(), None))
    return pages
