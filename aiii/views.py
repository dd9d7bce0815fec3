import logging

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import mfa_enrolment as enrolment
from .access import public, secretariat_required
from .forms import AuditFilterForm, MfaEnrolmentCodeForm
from .fragments import cached_fragment
from .home import home_actions, home_panels
from .layout import fragment_page
from .models import AUDIT_DATA
from .pagination import paginate
from .permissions import has_mfa, needs_second_factor, secretariat_mfa_required
from .secretariat import dashboard_panels, dashboard_tools
from .selectors import audit_entries, recent_audit_entries

logger = logging.getLogger(__name__)


@public
@require_safe
def landing(request):
    """The public brochure for visitors; a signed-in user's own home (aiii/home.py)."""
    user = request.user
    if user.is_authenticated:
        if needs_second_factor(user):
            # The home shows the secretariat's queues: like every secretariat page, not before
            # the second factor (see AccessMiddleware).
            from .middleware import AccessMiddleware

            return AccessMiddleware.confine_to_enrolment(request, "landing")
        context = {"actions": home_actions(request), "panels": home_panels(request)}
        return render(request, "aiii/home.html", context)
    return render(request, "aiii/landing.html")


@public
@require_safe
def about(request):
    return render(request, "aiii/about.html")


@public
@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /$",
        "Allow: /about/",
        "Allow: /apply/",
        "Allow: /forum/",
        "Disallow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:
        logger.warning("Health check: database unavailable: %s", exc)
        return "down"


def _check_broker():
    """The Celery broker (Redis); "in-process" in the embedded mode, which has none."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One try within the timeouts: redis-py's default retries would make a monitor wait long.
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.AIII_REDIS_TIMEOUT,
        socket_timeout=settings.AIII_REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
        return "ok"
    except Exception as exc:
        logger.warning("Health check: broker unavailable: %s", exc)
        return "down"
    finally:
        client.close()


@public
@never_cache
@require_safe
def healthz(request):
    """JSON for load balancers and monitors: 200 when every check passes, 503 naming the
    failing ones otherwise. Says nothing beyond up or down (no versions, hosts or errors)."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    down = [name for name, state in checks.items() if state == "down"]
    return JsonResponse(
        {"status": "unavailable" if down else "ok", "checks": checks, "down": down},
        status=503 if down else 200,
    )


@secretariat_required
@require_safe
def dashboard(request):
    return render(
        request,
        "aiii/secretariat/dashboard.html",
        {
            # The same for every secretariat user in a language: kept, not rendered each time.
            "tools_grid": cached_fragment(
                request,
                "aiii/secretariat/includes/tools.html",
                datasets=[],
                context=lambda: {"tools": dashboard_tools()},
                params=(),
            ),
            "panels": dashboard_panels(request),
            # Kept in the cache until the next entry is recorded (aiii/fragments.py).
            "recent_activity": cached_fragment(
                request,
                "aiii/secretariat/includes/recent_activity.html",
                datasets=[AUDIT_DATA],
                context=lambda: {"recent_entries": recent_audit_entries(limit=10)},
                params=(),
            ),
        },
    )


@secretariat_required
@require_safe
def audit_log(request):
    def context():  # run only when the content is not cached (aiii/fragments.py)
        form = AuditFilterForm(request.GET or None)
        entries = audit_entries(filters=form.cleaned_data if form.is_valid() else {})
        return {"form": form, "page": paginate(request, entries)}

    content = cached_fragment(
        request,
        "aiii/secretariat/includes/audit_content.html",
        datasets=[AUDIT_DATA],
        context=context,
        params=[*AuditFilterForm.base_fields, "page"],
    )
    return fragment_page(request, "aiii/secretariat/audit_log.html", content)


@secretariat_required
@never_cache
def mfa_enrolment(request):
    """Where a secretariat account without a second factor is sent: the operator's one-time
    code opens the pages that enrol one (aiii/mfa_enrolment.py)."""
    if not secretariat_mfa_required() or has_mfa(request.user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if enrolment.session_has_grant(request):
        return redirect("mfa_index")
    form = MfaEnrolmentCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if enrolment.enrolment_grant_redeem(user=request.user, code=form.cleaned_data["code"]):
            enrolment.session_grant(request)
            messages.success(
                request,
                _("Code accepted. Now set up an authenticator app or a passkey."),
            )
            return redirect("mfa_index")
        form.add_error(
            "code",
            _(
                "This code is not valid: it may be mistyped, used already or expired. "
                "After five wrong tries a code stops working; ask the operator for a new one."
            ),
        )
    return render(request, "aiii/mfa_enrolment.html", {"form": form})


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def csrf_failure(request, reason=""):
    # The reason is for developers (and the log); the visitor gets advice, not internals.
    logger.info("CSRF check failed: %s", reason)
    return render(request, "errors/403_csrf.html", status=403)


def error_500(request):
    # No context processors or database: whatever broke may break the page too.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def service_unavailable(request):
    """The error page with 503 and a hint to retry, for an outage the portal has noticed."""
    response = error_500(request)
    response.status_code = 503
    response["Retry-After"] = "60"
    return response


def too_many_requests(request, message):
    """The 429 page of a rate limit, with `message` saying what to wait for."""
    return render(request, "errors/429.html", {"message": message}, status=429)
