"""The admin: teams and repositories are edited here; scans and their results are read-only records."""

from django.contrib import admin

from .models import FactorResult, Finding, Repository, Scan, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "clone_url", "is_public")
    list_filter = ("team", "is_public")
    search_fields = ("name", "clone_url")
    exclude = ("webhook_secret", "latest_scan")


class RecordAdmin(admin.ModelAdmin):
    """Results are append-only (written by the pipeline in one transaction): no add, no edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Scan)
class ScanAdmin(RecordAdmin):
    list_display = ("id", "repository", "state", "trigger", "short_sha", "score", "queued_at")
    list_filter = ("state", "trigger")
    list_select_related = ("repository",)
    search_fields = ("repository__name", "commit_sha")

    @admin.display(description="commit")
    def short_sha(self, scan: Scan) -> str:
        return scan.short_sha


@admin.register(FactorResult)
class FactorResultAdmin(RecordAdmin):
    list_display = ("scan", "factor", "status", "score")
    list_select_related = ("scan__repository",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a scan's twelve results go with the scan, never one by one


@admin.register(Finding)
class FindingAdmin(RecordAdmin):
    list_display = ("check_id", "severity", "path", "line")
    list_filter = ("severity",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
