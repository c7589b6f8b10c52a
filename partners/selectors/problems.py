"""Reads of incidents, blocks and partner notes (staff-only pages: the whole tenant)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from channel.models import Partnership
from partners.models import Incident, PartnerBlock, PartnerNote


def incidents_of(manufacturer: Manufacturer, *, open_only: bool = True) -> QuerySet[Incident]:
    incidents = Incident.objects.filter(manufacturer=manufacturer).select_related(
        "partnership__reseller", "raised_by"
    )
    if open_only:
        incidents = incidents.filter(is_open=True)
    return incidents.order_by("-created_at", "-pk")


def incidents_of_partner(partnership: Partnership) -> QuerySet[Incident]:
    return Incident.objects.filter(partnership=partnership).order_by("-is_open", "-created_at")


def access_incident(*, manufacturer: Manufacturer, incident_id: int) -> Incident:
    incident = (
        Incident.objects.filter(manufacturer=manufacturer, pk=incident_id)
        .select_related("partnership__reseller", "raised_by")
        .first()
    )
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def active_blocks_of(partnership: Partnership) -> QuerySet[PartnerBlock]:
    return PartnerBlock.objects.filter(
        partnership=partnership, lifted_at__isnull=True
    ).select_related("offer")


def access_block(*, manufacturer: Manufacturer, block_id: int) -> PartnerBlock:
    block = (
        PartnerBlock.objects.filter(manufacturer=manufacturer, pk=block_id)
        .select_related("partnership__reseller")
        .first()
    )
    if block is None:
        raise Http404(_("No such block."))
    return block


def notes_of(partnership: Partnership) -> QuerySet[PartnerNote]:
    return PartnerNote.objects.filter(partnership=partnership).select_related("author")
