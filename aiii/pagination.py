from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None):
    """The requested page of `queryset`; an out-of-range or malformed page number gives the last
    or first page rather than an error."""
    paginator = Paginator(queryset, per_page or settings.AIII_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
