"""`{% load resellers %}`: a reseller's name with its qualified check, anywhere in the portal.

    {% qualified_badge partnership %}   the blue check when the reseller is qualified
    {% reseller_name partnership %}     name, ID and check, linked to the profile in the
                                        manufacturer portal (link=False for plain text)

Both read only fields already loaded (select_related("reseller") on the partnership).
"""

from django import template
from django.template import Context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from channel.models import Partnership, QualifyingStatus

register = template.Library()


@register.simple_tag
def qualified_badge(partnership: Partnership | None) -> SafeString:
    if partnership is None or partnership.qualifying_status != QualifyingStatus.QUALIFIED:
        return mark_safe("")
    label = _("Qualified")
    return format_html(
        '<i class="bi bi-patch-check-fill qualified-check" title="{}" role="img" '
        'aria-label="{}"></i>',
        label,
        label,
    )


@register.simple_tag(takes_context=True)
def reseller_name(
    context: Context, partnership: Partnership, link: bool = True, show_id: bool = False
) -> SafeString:
    reseller = partnership.reseller
    badge = qualified_badge(partnership)
    suffix = format_html(' <span class="text-secondary small font-monospace">{}</span>',
                         reseller.public_id) if show_id else ""  # fmt: skip
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if link and getattr(request, "portal", None) == "manufacturer" and tenant is not None:
        url = reverse(
            "resellers_manufacturer:profile",
            kwargs={"manufacturer_slug": tenant.slug, "public_id": reseller.public_id},
        )
        return format_html('<a href="{}">{}</a> {}{}', url, reseller.name, badge, suffix)
    return format_html("{} {}{}", reseller.name, badge, suffix)
