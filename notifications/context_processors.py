from django.http import HttpRequest

from notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict:
    """The unread count for the bell in the top bar: one query, only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": unread_count(user=user)}
