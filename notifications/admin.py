from django.contrib import admin

from notifications.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = [
        "recipient", "subject", "kind", "status", "attempts", "created_at", "next_attempt_at",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "message_id"]
    readonly_fields = ["message_id"]
