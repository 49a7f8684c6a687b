from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from app.web import views, views_ops, views_scorecard

urlpatterns = [
    path("healthz", views_ops.healthz, name="healthz"),
    path("readyz", views_ops.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.repositories, name="repositories"),
    path("", include("app.reports.urls")),
    path("teams/", include("app.teams.urls")),
    path("repositories/add/", views.add_repository, name="add_repository"),
    path("repositories/<slug:slug>/", views_scorecard.repository, name="repository"),
    path("repositories/<slug:slug>/rescan/", views_scorecard.rescan, name="rescan"),
    path("repositories/<slug:slug>/history/", views_scorecard.history, name="history"),
    path("repositories/<slug:slug>/compare/", views_scorecard.compare, name="compare"),
    path("repositories/<slug:slug>/scans/<int:scan_id>/", views_scorecard.scan, name="scan"),
    path("badge/<slug:slug>.svg", views.badge, name="badge"),
    path("badge/<slug:slug>/<int:number>.svg", views.factor_badge, name="factor_badge"),
    path("repositories/<slug:slug>/scans/<int:scan_id>/status", views_scorecard.scan_status, name="scan_status"),
    path("api/repositories", views.api_repositories, name="api_repositories"),
    path("", include("app.waivers.urls")),
    path("", include("app.webhooks.urls")),
]
