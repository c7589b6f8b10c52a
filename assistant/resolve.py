"""From the words of a request to the rows it names, through the pages' own selectors.

A reseller is found among those the member may see (`channel.selectors`), so a sales rep
asking about another rep's customer, or anyone about another tenant's reseller, gets the
pages' own "No such reseller." A name is matched approximately (rapidfuzz); when it fits
several resellers, the user is asked which one.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from accounts.models import User
from accounts.tenancy import ManufacturerRequest
from catalog.models import Qualification
from channel import selectors as channel_selectors
from channel.models import Partnership
from communications import selectors as communication_selectors
from communications.models import Conversation
from qualifications.forms import GrantForm
from qualifications.selectors import qualification_codes
from resellers.directory import DirectoryFilters, directory_rows
from salesreps import selectors as salesrep_selectors

# How close a typed name must be to a reseller's or rep's (rapidfuzz WRatio, 0-100), and
# how far below the best another candidate may be and still make the request ambiguous.
NAME_CUTOFF = 75
AMBIGUITY_MARGIN = 6
MAX_CHOICES = 5


@dataclass
class Choice:
    """One candidate the user may pick: `value` replaces the argument named `arg`."""

    label: str
    detail: str
    arg: str
    value: str


@dataclass
class Unresolved(Exception):
    """The request cannot go on as typed: `kind` says why (not_found, ambiguous, missing,
    refused), `message` says it to the user, `choices` lets them pick."""

    kind: str
    message: str
    choices: list[Choice] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    status: int = 200


def _best(query: str, candidates: dict[Any, str]) -> list[tuple[str, float, Any]]:
    """The candidates that match `query`, best first, within the ambiguity margin."""
    found = process.extract(
        query,
        candidates,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=MAX_CHOICES,
        score_cutoff=NAME_CUTOFF,
    )
    if not found:
        return []
    top = found[0][1]
    return [match for match in found if match[1] >= top - AMBIGUITY_MARGIN]


def partnership_for(request: ManufacturerRequest, args: dict[str, str]) -> Partnership:
    """The reseller the request names, as the pages find it (one Http404 for all others)."""
    public_id = args.get("reseller_id")
    if not public_id:
        public_id = _reseller_id_by_name(request, args.get("reseller", ""))
    try:
        return channel_selectors.access_partnership(
            manufacturer=request.tenant, membership=request.membership, public_id=public_id
        )
    except Http404 as missing:
        raise Unresolved("not_found", str(missing) or _("No such reseller."), status=404) from None


def _reseller_id_by_name(request: ManufacturerRequest, name: str) -> str:
    name = name.strip()
    if not name:
        raise Unresolved(
            "missing", _("Which reseller? Name it, or give its reseller ID (like 36G8J2Z).")
        )
    # The directory's own search first (name contains, or the exact ID) …
    matches = list(
        directory_rows(
            manufacturer=request.tenant,
            membership=request.membership,
            filters=DirectoryFilters(query=name[:200]),
        )
        .order_by("reseller__name")
        .values_list("reseller__public_id", "reseller__name", "reseller__city")[: MAX_CHOICES + 1]
    )
    exact = [row for row in matches if row[1].casefold() == name.casefold()]
    if len(matches) == 1 or len(exact) == 1:
        return (exact or matches)[0][0]
    if not matches:
        # … then the names the member may see, matched approximately (typos, word order).
        visible = channel_selectors.resellers_visible_to(
            manufacturer=request.tenant, membership=request.membership
        ).values_list("public_id", "name", "city")
        rows = {row[0]: row for row in visible}
        found = _best(name, {public_id: row[1] for public_id, row in rows.items()})
        if len(found) == 1:
            return str(found[0][2])
        matches = [rows[match[2]] for match in found]
    if not matches:
        raise Unresolved(
            "not_found",
            _("No such reseller: nothing you can see is called “%(name)s”.") % {"name": name},
            status=404,
        )
    raise Unresolved(
        "ambiguous",
        _("“%(name)s” matches several resellers. Which one do you mean?") % {"name": name},
        choices=[
            Choice(label=row[1], detail=f"{row[0]} · {row[2]}".strip(" ·"), arg="reseller",
                   value=row[0])
            for row in matches[:MAX_CHOICES]
        ],
    )  # fmt: skip


def rep_for(request: ManufacturerRequest, args: dict[str, str]) -> User:
    """A sales rep of this tenant by name (approximately), by id (a pick), or "me"."""
    sellers = salesrep_selectors.sellers(manufacturer=request.tenant)
    value = args.get("rep_id") or ""
    if value.isdigit():
        try:
            return salesrep_selectors.access_seller(manufacturer=request.tenant, user_id=int(value))
        except Http404 as missing:
            raise Unresolved("not_found", str(missing), status=404) from None
    name = (args.get("rep") or "").strip()
    if name == "me":
        if request.membership.is_seller:
            return request.user
        raise Unresolved("missing", _("Only sales reps have a portfolio. Whose do you mean?"))
    if not name:
        raise Unresolved("missing", _("Which sales rep? Give their name, like “Sara”."))
    members = {m.user_id: m.user for m in sellers}
    found = _best(
        name, {pk: f"{u.display_name} {u.email.split('@')[0]}" for pk, u in members.items()}
    )
    if len(found) == 1:
        return members[found[0][2]]
    if not found:
        raise Unresolved(
            "not_found",
            _("No sales rep of %(manufacturer)s is called “%(name)s”.")
            % {"manufacturer": request.tenant.name, "name": name},
            suggestions=[u.display_name for u in members.values()][:MAX_CHOICES],
            status=404,
        )
    raise Unresolved(
        "ambiguous",
        _("“%(name)s” matches several sales reps. Which one do you mean?") % {"name": name},
        choices=[
            Choice(label=members[m[2]].display_name, detail=members[m[2]].email, arg="rep",
                   value=str(m[2]))
            for m in found
        ],
    )  # fmt: skip


def qualification_for(
    request: ManufacturerRequest, args: dict[str, str], *, reason: str = ""
) -> tuple[Qualification, str]:
    """The qualification by its ID, checked by the page's own form (same messages)."""
    code = args.get("qualification", "")
    if not code:
        raise Unresolved("missing", _("Which qualification? Give its ID, like PRO-AV-CERTIFIED."))
    form = GrantForm(data={"code": code, "reason": reason}, manufacturer=request.tenant)
    if form.is_valid():
        return form.cleaned_data["qualification"], form.cleaned_data["reason"]
    codes = list(qualification_codes(manufacturer=request.tenant).values_list("code", flat=True))
    close = [match[0] for match in process.extract(code, codes, limit=3, score_cutoff=60)]
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    raise Unresolved("not_found", message, suggestions=close or codes[:MAX_CHOICES], status=404)


def conversation_for(request: ManufacturerRequest, args: dict[str, str]) -> Conversation:
    value = args.get("conversation", "")
    if not value.isdigit():
        raise Unresolved("missing", _("Which conversation? Give its number, like 12."))
    try:
        return communication_selectors.access_conversation(
            membership=request.membership, conversation_id=int(value)
        )
    except Http404 as missing:
        raise Unresolved("not_found", str(missing), status=404) from None
