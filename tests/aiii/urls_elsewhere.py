"""A URL configuration where the about page lives elsewhere (tests/aiii/test_fixed_url.py)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/about/", lambda request: HttpResponse(), name="about")]
