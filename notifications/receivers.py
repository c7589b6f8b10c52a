"""What notifications does when a user's own account changes (connected in
NotificationsConfig.ready() through accounts.hooks): an email to the user, written to the
outbox in the transaction of the change, so a change nobody asked for is noticed."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.hooks import SECURITY_CHANGES
from accounts.i18n import override_for
from accounts.models import User
from notifications.services import email_enqueue


def on_security_changed(*, user: User, change: str, recipient: str, link: str = "") -> None:
    # In the user's language, whoever (an admin, a reset link) made the change.
    with override_for(user):
        _security_email(user=user, change=change, recipient=recipient, link=link)


def _security_email(*, user: User, change: str, recipient: str, link: str) -> None:
    subject = str(SECURITY_CHANGES[change])
    security_url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts_public:security")
    if change == "email_change_requested":
        body = _(
            "Hello %(name)s,\n\nSomeone asked to use this address for their Channel Portal "
            "account. If it was you, open this link within a day while logged in:\n%(link)s\n\n"
            "If it was not you, ignore this email: nothing changes.\n"
        ) % {"name": user.display_name, "link": link}
    elif change == "unlock_requested":
        body = _(
            "Hello %(name)s,\n\nYour account was locked after wrong passwords. Open this link "
            "within an hour, in the browser you log in with, to unlock it there:\n%(link)s\n\n"
            "If you did not ask for it, someone may be guessing your password: nothing "
            "changes unless the link is opened.\n"
        ) % {"name": user.display_name, "link": link}
    else:
        body = _(
            "Hello %(name)s,\n\n%(what)s on your Channel Portal account.\n\n"
            "If this was you, there is nothing to do. If it was not, reset your password now "
            "and review your sessions and two-factor login here:\n%(url)s\n"
        ) % {"name": user.display_name, "what": subject, "url": security_url}
    email_enqueue(
        recipient=recipient,
        subject=subject,
        body=body,
        kind=f"accounts.{change}",
        secrets=[link] if link else [],
    )
