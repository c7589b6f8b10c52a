"""The seam through which partner metrics read how fast a partner answers the manufacturer.

Messages live in `communications` and partner metrics in `partners`, siblings that may not
import each other; both may import this lower layer. Communications registers one provider
in `CommunicationsConfig.ready()`; partners asks `partner_responses()`. Without a provider
no partner has replied to anything: its response time is unknown, never zero.

A partner's response is its first message after one or more staff messages it could read;
its response time runs from the first of those staff messages (the manufacturer's question
waited that long for an answer).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# (partnership id, first day of the month) per month; (partnership id, None) for a period.
ResponseKey = tuple[int, date | None]


@dataclass(frozen=True)
class PartnerResponses:
    replies: int = 0
    average: timedelta | None = None


ResponsesProvider = Callable[..., dict[ResponseKey, PartnerResponses]]

_providers: dict[str, ResponsesProvider] = {}


def register_partner_responses_provider(provider: ResponsesProvider) -> None:
    """Set once, at app start-up (communications)."""
    _providers["responses"] = provider


def partner_responses(
    *,
    manufacturer_id: int,
    start: datetime,
    end: datetime,
    by_month: bool,
    partnership_ids: Iterable[int] | None = None,
) -> dict[ResponseKey, PartnerResponses]:
    """The partners' responses in [start, end), per month of the reply (`by_month`) or for
    the whole period, in one grouped query. Partnerships that replied to nothing are absent."""
    provider = _providers.get("responses")
    if provider is None:
        return {}
    return provider(
        manufacturer_id=manufacturer_id,
        start=start,
        end=end,
        by_month=by_month,
        partnership_ids=None if partnership_ids is None else list(partnership_ids),
    )
