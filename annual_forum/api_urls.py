"""/forum/api/: the read-only JSON API and its OpenAPI document (namespace "forum_api")."""

from .api import api_urlpatterns

app_name = "forum_api"

urlpatterns = api_urlpatterns()
