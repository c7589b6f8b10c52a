from django.contrib import admin

from channel.models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["reseller", "manufacturer", "status", "created_at"]
    list_filter = ["status", "manufacturer"]
    search_fields = ["reseller__name", "reseller__public_id"]
    raw_id_fields = ["reseller"]
