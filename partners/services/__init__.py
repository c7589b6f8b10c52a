"""Services of partners: the only code that writes its tables (each in a transaction)."""

from core.exceptions import DomainRefused


class PartnerRefused(DomainRefused):
    """The change breaks a rule; the message says which, and nothing was changed."""
