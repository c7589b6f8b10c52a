"""The seams through which higher layers react to accounts (ARCHITECTURE.md rule 4).

accounts calls `send(...)` inside the transaction of the change; the higher app connects its
receiver in its AppConfig.ready(). A receiver that raises rolls the whole change back.

- `security_changed`: receiver(user=User, change=str, recipient=str, link=str = ""):
  notifications tells a user about changes to their own account. `change` is one of
  `SECURITY_CHANGES`; `recipient` is where to write (the old address when the email changed,
  the new one for its confirmation link, which `link` carries).
- `manufacturer_created`: receiver(manufacturer=Manufacturer): a new tenant exists (partners
  gives it the guide's default tiers).
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
manufacturer_created = Hook("manufacturer_created")
