from django.apps import AppConfig


class AnnualForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annual_forum"
