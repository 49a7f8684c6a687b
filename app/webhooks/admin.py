from django.contrib import admin

from .models import Delivery, Hook


@admin.register(Hook)
class HookAdmin(admin.ModelAdmin):
    list_display = ("repository", "created_at", "rotated_at")
    fields = ("repository", "created_at", "rotated_at")  # the URL's id is a credential too: not shown
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("received_at", "repository", "provider", "event", "branch", "commit", "outcome", "status_code")
    list_filter = ("outcome", "provider")
    readonly_fields = [f.name for f in Delivery._meta.fields]
