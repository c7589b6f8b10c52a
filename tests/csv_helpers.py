"""Reading a CSV download the way a spreadsheet would."""

import csv
import io


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export, after checking it is one (a download, UTF-8 with BOM)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
