from django.contrib import admin

from .models import Waiver


@admin.register(Waiver)
class WaiverAdmin(admin.ModelAdmin):
    list_display = ("repository", "check_id", "path", "expires_on", "created_by", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("repository__name", "check_id", "path", "fingerprint", "reason")
    readonly_fields = [f.name for f in Waiver._meta.fields]  # recorded from the dashboard; revoked there
