"""The seam through which notifications (a layer above) tells a user about changes to their
own account (ARCHITECTURE.md rule 4). accounts calls `security_changed.send(...)` inside the
transaction of the change; notifications connects its receiver in NotificationsConfig.ready().

- `security_changed`: receiver(user=User, change=str, recipient=str, link=str = ""):
  `change` is one of `SECURITY_CHANGES`; `recipient` is where to write (the old address when
  the email changed, the new one for its confirmation link, which `link` carries).
"""

from django.utils.translation import gettext_lazy as _

from core.hooks import Hook

SECURITY_CHANGES = {
    "password_changed": _("Your password was changed"),
    "password_reset": _("Your password was reset"),
    "email_changed": _("Your email address was changed"),
    "email_change_requested": _("Confirm your new email address"),
    "unlock_requested": _("Unlock your Channel Portal account"),
    "two_factor_enabled": _("Two-factor login was turned on"),
    "two_factor_disabled": _("Two-factor login was turned off"),
    "recovery_codes_renewed": _("New recovery codes were made"),
}

security_changed = Hook("security_changed")
