"""What a reseller sees of its partnership's tier: the tier, what it gives, the criteria of
every tier and its own progress towards the next one."""

from django.http import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.tenancy import ResellerPartnerRequest, reseller_partner_view
from channel.benefits import partnership_benefits
from partners.selectors import tiers as selectors
from partners.selectors.meetings import next_meeting


@reseller_partner_view
@require_GET
def partner_tier(request: ResellerPartnerRequest) -> HttpResponseBase:
    partnership = request.partnership
    progress = selectors.partner_progress(partnership=partnership)
    context = {
        "progress": progress,
        "tiers": selectors.tiers_of(request.tenant),
        "benefits": partnership_benefits(partnership),
        "history": list(selectors.tier_history(partnership)[:10]),
        "next_meeting": next_meeting(partnership),
    }
    return render(request, "partners/reseller_tier.html", context)
