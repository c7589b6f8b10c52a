"""The "Qualifications" section of a reseller profile: one context for the template tag (full
page) and the POST endpoints (htmx swap), so both render the same partial."""

from typing import Any

from accounts.tenancy import ManufacturerRequest
from channel.models import Partnership
from qualifications import selectors
from qualifications.forms import GrantForm, QualifyingStatusForm

SECTION_TEMPLATE = "qualifications/_profile_section.html"


def section_context(
    request: ManufacturerRequest,
    partnership: Partnership,
    *,
    grant_form: GrantForm | None = None,
    next_url: str | None = None,
) -> dict[str, Any]:
    """Three queries: the held grants, the open request count and the ID suggestions."""
    membership = request.membership
    can_manage = membership.is_staff_role
    context = {
        "partnership": partnership,
        "reseller": partnership.reseller,
        "grants": list(selectors.partnership_active_grants(partnership=partnership)),
        "open_request_count": selectors.partnership_open_request_count(partnership=partnership),
        "can_manage": can_manage,
        "next_url": next_url or request.get_full_path(),
        "tenant": request.tenant,
    }
    if can_manage:
        context["grant_form"] = grant_form or GrantForm(
            manufacturer=request.tenant, auto_id="qgrant_%s"
        )
        context["status_form"] = QualifyingStatusForm(
            initial={"qualifying_status": partnership.qualifying_status}, auto_id="qstatus_%s"
        )
        context["code_suggestions"] = list(
            selectors.qualification_codes(manufacturer=request.tenant)
        )
    return context
