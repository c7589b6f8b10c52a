"""The assistant's own writes: the requests a user made, to offer them again."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Manufacturer, User
from assistant.models import MAX_REQUEST_TEXT, RECENT_REQUESTS, RecentRequest


@transaction.atomic
def recent_request_remember(
    *, manufacturer: Manufacturer, user: User, text: str, intent: str
) -> RecentRequest:
    """Keep `text` as the user's newest request here; at most RECENT_REQUESTS are kept."""
    text = text.strip()[:MAX_REQUEST_TEXT]
    remembered, _created = RecentRequest.objects.update_or_create(
        manufacturer=manufacturer,
        user=user,
        text=text,
        defaults={"intent": intent, "asked_at": timezone.now()},
    )
    stale = RecentRequest.objects.filter(manufacturer=manufacturer, user=user).values_list(
        "pk", flat=True
    )[RECENT_REQUESTS:]
    RecentRequest.objects.filter(pk__in=list(stale)).delete()
    return remembered
