"""A CSV export that fails while it streams ends with a visible error row, and is logged.

The status (200) and the first rows are sent before the failing row is read, so the error
cannot become a 500 any more; a file that simply stopped looked complete.
"""

import csv
import io
import logging

import pytest

from core.listing import EXPORT_FAILED, csv_response
from orders import exports
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order

ERROR_ROW = [str(EXPORT_FAILED)]


def read(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def failing_rows():
    yield ["A-1", "10.00"]
    yield ["A-2", "20.00"]
    raise ValueError("the database went away")


def test_an_export_that_fails_halfway_ends_with_the_error_row(caplog):
    response = csv_response(filename="orders", header=["Order", "Total"], rows=failing_rows())

    with caplog.at_level(logging.ERROR, logger="core.listing"):
        rows = read(response)

    assert response.status_code == 200
    assert rows == [["Order", "Total"], ["A-1", "10.00"], ["A-2", "20.00"], ERROR_ROW]
    assert rows[-1] == ["Export failed: the file is incomplete. Try again or contact support."]
    (record,) = [r for r in caplog.records if r.name == "core.listing"]
    assert "orders" in record.getMessage() and "2 rows" in record.getMessage()
    assert record.exc_info is not None and "went away" in str(record.exc_info[1])


def test_a_complete_export_has_no_error_row():
    response = csv_response(filename="orders", header=["Order"], rows=iter([["A-1"], ["A-2"]]))

    assert read(response) == [["Order"], ["A-1"], ["A-2"]]


def test_the_orders_export_failing_on_its_second_order_says_so(
    client_for, owner, manufacturer, partnership, monkeypatch, caplog
):
    product = ProductFactory(manufacturer=manufacturer)
    for _ in range(3):
        make_order(partnership, [product])
    written = {"n": 0}
    real_rows = exports.order_csv_rows

    def second_order_fails(orders):
        for row in real_rows(orders):
            written["n"] += 1
            if written["n"] == 2:
                raise ArithmeticError("a total the column cannot hold")
            yield row

    monkeypatch.setattr(exports, "order_csv_rows", second_order_fails)

    with caplog.at_level(logging.ERROR, logger="core.listing"):
        response = client_for(owner).get(f"/m/{manufacturer.slug}/orders/", {"format": "csv"})
        rows = read(response)

    assert response.status_code == 200
    assert len(rows) == 3  # the header, one order, the error row
    assert rows[-1] == ERROR_ROW
    assert any("a total the column cannot hold" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize("value", ["=cmd()", "+1", "@SUM(A1)"])
def test_the_error_row_leaves_the_formula_guard_in_place(value):
    response = csv_response(filename="x", header=["A"], rows=iter([[value]]))

    assert read(response)[1] == ["'" + value]
