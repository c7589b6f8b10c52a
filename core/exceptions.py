"""The one base of every refusal a user can see."""

from django.core.exceptions import ValidationError


class DomainRefused(ValidationError):
    """A service refused a change because it breaks a rule; nothing was changed.

    The message is written for the user and shown as it is. Views catch this one class
    (a form re-renders with it, an htmx action answers 400 with it).
    """

    @property
    def user_message(self) -> str:
        return " ".join(str(message) for message in self.messages)
