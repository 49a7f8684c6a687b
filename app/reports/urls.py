from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("teams/<slug:slug>/reports/", views.archive, name="archive"),
    path("teams/<slug:slug>/reports/settings/", views.save_settings, name="settings"),
    path("teams/<slug:slug>/reports/subscription/", views.subscription, name="subscription"),
    path("teams/<slug:slug>/reports/preview/", views.preview, name="preview"),
    path("teams/<slug:slug>/reports/preview/email.html", views.preview_html, name="preview_html"),
    path("teams/<slug:slug>/reports/<str:week>/", views.report, name="report"),
    path("teams/<slug:slug>/reports/<str:week>/email.html", views.report_html, name="report_html"),
    path("reports/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
