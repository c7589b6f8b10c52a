"""How well the parser reads requests it was not tuned on.

`HELD_OUT` was written before the parser's words were tuned and is never used to tune
them (the tuning set is `tests/assistant/phrasings.py`). `benchmark_pages` prints its
accuracy: a phrasing counts when both the intent and every argument come out as listed.
All dates are read as if today were `TODAY`.
"""

from dataclasses import dataclass
from datetime import date

from assistant.parser import RequestParser, get_parser

TODAY = date(2026, 12, 3)  # a Thursday

Case = tuple[str, str | None, dict[str, str]]

# fmt: off
HELD_OUT: list[Case] = [
    ("can you list every reseller we have", "resellers.list", {}),
    ("directory of dealers please", "resellers.list", {}),
    ("whats the profile of Clearwave", "reseller.profile", {"reseller": "clearwave"}),
    ("info on reseller 36G8J2Z", "reseller.profile", {"reseller_id": "36G8J2Z"}),
    ("sales numbers of Brightline last month", "reseller.statistics",
     {"reseller": "brightline", "period": "2026-11-01..2026-11-30"}),
    ("36G8J2Z stats this year", "reseller.statistics",
     {"reseller_id": "36G8J2Z", "period": "2026-01-01..2026-12-03"}),
    ("please grant qualification PRO-AV-CERTIFIED to Voltage", "qualification.grant",
     {"reseller": "voltage", "qualification": "PRO-AV-CERTIFIED"}),
    ("award pro-av-certified to reseller 36G8J2Z", "qualification.grant",
     {"reseller_id": "36G8J2Z", "qualification": "PRO-AV-CERTIFIED"}),
    ("withdraw the PRO-AV-CERTIFIED certification from Hifi Corner", "qualification.revoke",
     {"reseller": "hifi corner", "qualification": "PRO-AV-CERTIFIED"}),
    ("revoke PRO-AV-CERTIFIED 36G8J2Z", "qualification.revoke",
     {"reseller_id": "36G8J2Z", "qualification": "PRO-AV-CERTIFIED"}),
    ("move Clearwave to rep Sara", "rep.assign", {"reseller": "clearwave", "rep": "sara"}),
    ("assign reseller 36G8J2Z to tom", "rep.assign", {"reseller_id": "36G8J2Z", "rep": "tom"}),
    ("close conversation #7", "conversation.done", {"conversation": "7"}),
    ("which orders are still open for Voltage", "orders.open", {"reseller": "voltage"}),
    ("pending orders 36G8J2Z", "orders.open", {"reseller_id": "36G8J2Z"}),
    ("orders that need approval", "orders.awaiting", {}),
    ("what messages are waiting for a reply", "conversations.waiting", {}),
    ("which commissions are due this week", "payouts.due", {}),
    ("what's in tom's portfolio", "rep.portfolio", {"rep": "tom"}),
    ("customers with no sales rep", "resellers.unassigned", {}),
    ("best resellers in october", "resellers.top", {"period": "2026-10-01..2026-10-31"}),
    ("what happened with Brightline since 1 september", "reseller.changes",
     {"reseller": "brightline", "since": "2026-09-01"}),
    ("elenco dei rivenditori", "resellers.list", {}),
    ("scheda del rivenditore Clearwave", "reseller.profile", {"reseller": "clearwave"}),
    ("vendite di Brightline negli ultimi 90 giorni", "reseller.statistics",
     {"reseller": "brightline", "period": "2026-09-05..2026-12-03"}),
    ("concedi la qualifica PRO-AV-CERTIFIED a Voltage", "qualification.grant",
     {"reseller": "voltage", "qualification": "PRO-AV-CERTIFIED"}),
    ("togli la certificazione PRO-AV-CERTIFIED al rivenditore 36G8J2Z",
     "qualification.revoke", {"reseller_id": "36G8J2Z", "qualification": "PRO-AV-CERTIFIED"}),
    ("ordini aperti del rivenditore 36G8J2Z", "orders.open", {"reseller_id": "36G8J2Z"}),
    ("quali conversazioni aspettano una risposta", "conversations.waiting", {}),
    ("clienti senza commerciale", "resellers.unassigned", {}),
    ("classifica dei rivenditori del mese scorso", "resellers.top",
     {"period": "2026-11-01..2026-11-30"}),
    ("cosa è successo a Voltage dal 1 ottobre", "reseller.changes",
     {"reseller": "voltage", "since": "2026-10-01"}),
    ("asdf qwerty", None, {}),
]
# fmt: on


@dataclass(frozen=True)
class Accuracy:
    total: int
    correct: int
    misses: list[tuple[str, str | None, dict[str, str]]]

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0


def accuracy(cases: list[Case], parser: RequestParser | None = None) -> Accuracy:
    parser = parser or get_parser()
    misses = []
    for text, intent, args in cases:
        parsed = parser.parse(text, today=TODAY)
        if parsed.intent != intent or parsed.args != args:
            misses.append((text, parsed.intent, parsed.args))
    return Accuracy(total=len(cases), correct=len(cases) - len(misses), misses=misses)
