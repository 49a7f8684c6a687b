from django.urls import path

from . import views

urlpatterns = [
    path("hooks/<str:token>", views.receive, name="webhook_receive"),
    path("repositories/<slug:slug>/webhook/", views.settings_page, name="webhook_settings"),
    path("repositories/<slug:slug>/webhook/rotate/", views.rotate, name="webhook_rotate"),
]
