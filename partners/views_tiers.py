"""The manufacturer's tier pages: the published tiers, the evaluation's proposals and their
decisions, and a partner's tier on its scorecard. Owners and managers only (403 otherwise).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel import selectors as channel_selectors
from core.listing import paginate
from partners.forms import AccountManagerForm, ApproveForm, TierForm, TierSetForm
from partners.selectors import tiers as selectors
from partners.services import PartnerRefused
from partners.services import tiers as services


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def tier_list(request: ManufacturerRequest) -> HttpResponseBase:
    context = {
        "tiers": list(selectors.tiers_with_members(request.tenant)),
        "pending_count": selectors.pending_proposals(request.tenant).count(),
    }
    return render(request, "partners/tiers.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def tier_edit(request: ManufacturerRequest, tier_id: int | None = None) -> HttpResponseBase:
    tier = (
        selectors.access_tier(manufacturer=request.tenant, tier_id=tier_id)
        if tier_id is not None
        else None
    )
    form = TierForm(request.POST or None, instance=tier, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.tier_save(
                manufacturer=request.tenant, tier=tier, values=dict(form.cleaned_data)
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("Tier %(name)s saved.") % {"name": saved.name})
            return redirect(_url(request, "tiers"))
    title = _("Edit %(name)s") % {"name": tier.name} if tier else _("New tier")
    return render(
        request,
        "partners/tier_form.html",
        {"form": form, "title": title, "back_url": _url(request, "tiers")},
        status=400 if form.is_bound else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def proposal_list(request: ManufacturerRequest) -> HttpResponseBase:
    pending = list(selectors.pending_proposals(request.tenant))
    context = {
        "pending": [
            (
                proposal,
                TierSetForm(
                    manufacturer=request.tenant,
                    initial={"tier": proposal.from_tier_id},
                    auto_id=f"override{proposal.pk}_%s",
                ),
                ApproveForm(auto_id=f"approve{proposal.pk}_%s"),
            )
            for proposal in pending
        ],
        "decided": paginate(request, selectors.decided_proposals(request.tenant), per_page=10),
    }
    return render(request, "partners/proposals.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def proposals_evaluate(request: ManufacturerRequest) -> HttpResponseBase:
    result = services.tiers_evaluate(manufacturer=request.tenant)
    messages.success(
        request,
        _(
            "Evaluation done: %(promotions)d promotions and %(demotions)d demotions proposed, "
            "%(withdrawn)d earlier proposals withdrawn."
        )
        % {
            "promotions": result.promotions,
            "demotions": result.demotions,
            "withdrawn": result.withdrawn,
        },
    )
    return redirect(_url(request, "proposals"))


def _refused(request: ManufacturerRequest, refused: PartnerRefused) -> HttpResponseBase:
    messages.error(request, refused.user_message)
    return redirect(_url(request, "proposals"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def proposal_approve(request: ManufacturerRequest, proposal_id: int) -> HttpResponseBase:
    proposal = selectors.access_pending_proposal(
        manufacturer=request.tenant, proposal_id=proposal_id
    )
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _refused(request, PartnerRefused(_("The note is too long.")))
    try:
        services.tier_proposal_approve(
            proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
        )
    except PartnerRefused as refused:
        return _refused(request, refused)
    messages.success(
        request,
        _("%(name)s is now in %(tier)s; they have been told why.")
        % {"name": proposal.partnership.reseller.name, "tier": proposal.to_tier.name},
    )
    return redirect(_url(request, "proposals"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def proposal_override(request: ManufacturerRequest, proposal_id: int) -> HttpResponseBase:
    proposal = selectors.access_pending_proposal(
        manufacturer=request.tenant, proposal_id=proposal_id
    )
    form = TierSetForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return _refused(request, PartnerRefused(errors))
    try:
        services.tier_proposal_override(
            proposal=proposal,
            by=request.user,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
        )
    except PartnerRefused as refused:
        return _refused(request, refused)
    messages.success(
        request,
        _("Decided for %(name)s: %(tier)s.")
        % {"name": proposal.partnership.reseller.name, "tier": form.cleaned_data["tier"].name},
    )
    return redirect(_url(request, "proposals"))


def tier_panel_context(request: ManufacturerRequest, partnership: Any) -> dict[str, Any]:
    """The scorecard's tier panel: the tier, its manager, its history and the forms."""
    row = selectors.current_partner_tier(partnership)
    tier = row.tier if row is not None else selectors.entry_tier(partnership.manufacturer_id)
    return {
        "tier": tier,
        "account_manager": row.account_manager if row is not None else None,
        "tier_history": list(selectors.tier_history(partnership)[:10]),
        "tier_form": TierSetForm(
            manufacturer=request.tenant, initial={"tier": tier.pk if tier else None}
        ),
        "manager_form": AccountManagerForm(
            manufacturer=request.tenant,
            initial={"account_manager": row.account_manager_id if row else None},
        ),
    }


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def partner_tier_set(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    back = _url(request, "scorecard", public_id=partnership.reseller.public_id)
    form = TierSetForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        change = services.partner_tier_set(
            partnership=partnership,
            tier=form.cleaned_data["tier"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        if change is None:
            messages.info(request, _("The partner is already in this tier."))
        else:
            messages.success(
                request, _("Tier changed to %(tier)s.") % {"tier": change.to_tier.name}
            )
    return redirect(back)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def partner_account_manager(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    back = _url(request, "scorecard", public_id=partnership.reseller.public_id)
    form = AccountManagerForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        messages.error(request, _("Choose an owner or manager of your team."))
        return redirect(back)
    try:
        services.partner_account_manager_set(
            partnership=partnership, user=form.cleaned_data["account_manager"], by=request.user
        )
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(request, _("Account manager saved."))
    return redirect(back)
