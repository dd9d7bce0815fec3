"""The Atom feed of published interventions."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from aiii.access import public

from .selectors import latest_published


class PublishedInterventionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("AIII annual public meeting: published interventions")
    subtitle = _("Interventions of Member States and observers, as published by the secretariat.")

    def link(self):
        return reverse("forum:current")

    def items(self):
        return latest_published(limit=50)

    def item_title(self, item):
        return f"{item.delegation.name}: {item.title}"

    def item_description(self, item):
        return item.text_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.delegation.name


feed = public(PublishedInterventionsFeed())
