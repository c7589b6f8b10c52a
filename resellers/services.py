from django.db import transaction

from accounts.models import Manufacturer, Reseller
from resellers.models import Partnership, PartnershipStatus


@transaction.atomic
def partnership_create(
    *, manufacturer: Manufacturer, reseller: Reseller, status: str = PartnershipStatus.ACTIVE
) -> Partnership:
    return Partnership.objects.create(manufacturer=manufacturer, reseller=reseller, status=status)
