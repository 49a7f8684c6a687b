from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.create_team, name="create"),
    path("<slug:slug>/", views.team, name="detail"),
    path("<slug:slug>/members/", views.add_member, name="add_member"),
    path("<slug:slug>/members/<int:user_id>/remove/", views.remove_member, name="remove_member"),
    path("<slug:slug>/repositories/<slug:repo_slug>/move/", views.move_repository, name="move_repository"),
]
