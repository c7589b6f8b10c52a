"""CSV downloads stream after the view has returned; their rows still see the tenant."""

from django_scopes import scope

from channel.models import Partnership
from core.listing import csv_response
from tests.resellers.factories import PartnershipFactory


def test_csv_rows_are_read_in_the_scope_of_the_view_that_made_them(manufacturer):
    own = PartnershipFactory(manufacturer=manufacturer)

    def rows():
        # A query started only while the response streams, as a lazy export would.
        for partnership in Partnership.objects.filter(manufacturer=manufacturer):
            yield [partnership.reseller.public_id]

    with scope(manufacturer=manufacturer):
        response = csv_response(filename="test", header=["ID"], rows=rows())
    with scope():  # what the server holds after the view returned: no tenant, fail closed
        body = b"".join(response.streaming_content).decode()

    assert own.reseller.public_id in body
