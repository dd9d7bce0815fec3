"""{% url %} for views without arguments is worked out once (aiii/urls_fixed.py), and says
exactly what Django's own tag says."""

import pytest
from django.template import Context, Template, engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from aiii.templatetags.fixed_url import FixedURLNode


def _render(source, **context):
    return Template(source).render(Context(context))


def test_every_template_gets_the_remembering_tag():
    template = engines["django"].from_string("{% url 'about' %}")
    (node,) = template.template.nodelist
    assert isinstance(node, FixedURLNode)


def test_it_says_what_django_says():
    for _ in range(2):  # worked out, then remembered
        assert _render("{% url 'about' %}") == reverse("about") == "/about/"
        assert _render("{% url 'members:profile' 7 %}") == reverse("members:profile", args=[7])
        assert _render("{% url view %}", view="members:directory") == "/members/"
        assert _render("{% url 'about' as link %}[{{ link }}]") == "[/about/]"
        assert _render("{% url 'nowhere' as link %}[{{ link }}]") == "[]"
        with pytest.raises(NoReverseMatch):
            _render("{% url 'nowhere' %}")


def test_a_new_url_configuration_is_followed():
    assert _render("{% url 'about' %}") == "/about/"
    with override_settings(ROOT_URLCONF="tests.aiii.urls_elsewhere"):
        assert _render("{% url 'about' %}") == "/elsewhere/about/"
    assert _render("{% url 'about' %}") == "/about/"


def test_no_address_depends_on_the_language():
    # The remembered addresses are keyed without the language (aiii/urls_fixed.py).
    from django.urls import LocalePrefixPattern, get_resolver

    def patterns(resolver):
        for pattern in resolver.url_patterns:
            yield pattern.pattern
            if hasattr(pattern, "url_patterns"):
                yield from patterns(pattern)

    assert not any(isinstance(p, LocalePrefixPattern) for p in patterns(get_resolver()))
