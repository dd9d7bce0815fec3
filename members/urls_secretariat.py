"""The secretariat's people tools, under /secretariat/ (namespace "secretariat")."""

app_name = "secretariat"

urlpatterns: list = []
