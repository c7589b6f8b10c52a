"""The "Qualifications" section of a reseller profile: one context for the template tag (full
page) and the POST endpoints (htmx swap), so both render the same partial."""

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.tenancy import ManufacturerRequest
from qualifications import selectors
from qualifications.forms import GrantForm, QualifyingStatusForm
from resellers.models import Partnership

SECTION_TEMPLATE = "qualifications/_profile_section.html"


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """`candidate` if it is a path inside this tenant's portal, else None."""
    if not candidate:
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    tenant = getattr(request, "tenant", None)
    if tenant is None or not candidate.startswith(f"/m/{tenant.slug}/"):
        return None
    return candidate


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
