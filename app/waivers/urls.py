from django.urls import path

from . import views

app_name = "waivers"
urlpatterns = [
    path("repositories/<slug:slug>/waivers/", views.waivers, name="list"),
    path("repositories/<slug:slug>/waivers/add/", views.waive, name="waive"),
    path("repositories/<slug:slug>/waivers/<int:pk>/revoke/", views.revoke, name="revoke"),
]
