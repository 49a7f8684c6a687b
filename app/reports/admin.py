from django.contrib import admin

from .models import Delivery, OptOut, ReportSettings, WeeklyReport


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ("team", "time_zone")


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("team", "address", "via", "created_at")
    search_fields = ("address", "team__name")


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ("address", "user", "state", "attempts", "next_attempt_at", "sent_at", "error")
    fields = readonly_fields


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ("team", "week", "subject", "created_at", "completed_at")
    list_filter = ("week",)
    inlines = [DeliveryInline]
    readonly_fields = [f.name for f in WeeklyReport._meta.fields]  # what was sent: a record, not a draft
