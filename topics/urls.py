from django.urls import path

from . import views

app_name = "topics"

urlpatterns = [
    path("topics/", views.topic_list, name="list"),
    path("topics/thread/<int:pk>/", views.thread, name="thread"),
    path("topics/thread/<int:pk>/reply/", views.reply, name="reply"),
    path("topics/thread/<int:pk>/watch/", views.thread_watch, name="thread_watch"),
    path("topics/post/<int:pk>/", views.post, name="post"),
    path("topics/post/<int:pk>/edit/", views.post_edit_view, name="post_edit"),
    path("topics/post/<int:pk>/flag/", views.post_flag_view, name="post_flag"),
    path("topics/post/<int:pk>/history/", views.post_history, name="post_history"),
    path("topics/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("topics/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("topics/<slug:slug>/watch/", views.topic_watch, name="topic_watch"),
    path("search/", views.search, name="search"),
]
