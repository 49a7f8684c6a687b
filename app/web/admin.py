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


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ("id", "repository", "state", "trigger", "commit_sha", "score", "queued_at")
    list_filter = ("state", "trigger")
    readonly_fields = [f.name for f in Scan._meta.fields]


@admin.register(FactorResult)
class FactorResultAdmin(admin.ModelAdmin):
    list_display = ("scan", "factor", "status", "score")
    readonly_fields = [f.name for f in FactorResult._meta.fields]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("check_id", "severity", "path", "line")
    list_filter = ("severity",)
    readonly_fields = [f.name for f in Finding._meta.fields]
