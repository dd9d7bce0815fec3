"""The secretariat's shell: one `/secretariat/` namespace and one dashboard, filled by the apps.

Each app that has secretariat tools provides a module `<app>.secretariat` with any of:

    urlpatterns = [path("applications/", views.queue, name="applications"), ...]
    tools = [Tool(_("Applications queue"), "secretariat:applications"), ...]
    def dashboard_panels(request): return [Panel("members/secretariat/_panel.html", {...})]

The patterns are mounted under /secretariat/ in the `secretariat` namespace; the tools are the
dashboard's grid of links; the panels are rendered on the dashboard in `order`. So meetings,
topics and the forum add their pages without editing another app.
"""

from dataclasses import dataclass, field

from .discovery import app_modules


@dataclass(frozen=True)
class Tool:
    label: str
    url_name: str
    description: str = ""
    order: int = 100
    # An action that changes something or records it (e.g. an export written to the audit
    # log): a POST button with the CSRF token, never a link a third-party page could trigger.
    post: bool = False


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def _modules():
    # aiii is an installed app too, and this module is its `secretariat`: not a contributor.
    return [(label, module) for label, module in app_modules("secretariat") if label != "aiii"]


def secretariat_urlpatterns():
    patterns = []
    for _label, module in _modules():
        patterns.extend(getattr(module, "urlpatterns", ()))
    return patterns


def dashboard_tools():
    tools = [tool for _label, module in _modules() for tool in getattr(module, "tools", ())]
    return sorted(tools, key=lambda tool: tool.order)


def kept_panel(request, template, *, datasets, context, order, until=None):
    """A panel kept in the cache until its data sets change (aiii/fragments.py): `context` is
    a callable that runs only when the panel is not kept; `until` as for cached_fragment."""
    from .fragments import cached_fragment

    content = cached_fragment(
        request, template, datasets=datasets, context=context, params=(), until=until
    )
    return Panel("includes/fragment.html", {"content": content}, order)


def dashboard_panels(request):
    panels = []
    for _label, module in _modules():
        contribute = getattr(module, "dashboard_panels", None)
        if contribute is not None:
            panels.extend(contribute(request))
    return sorted(panels, key=lambda panel: panel.order)
