"""The visible text of a page's main content, and what of it is still English."""

import re
from html.parser import HTMLParser

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words the three languages write as English does (loanwords of the trade, codes, marks).
SAME_IN_EVERY_LANGUAGE = {
    "Channel", "Portal", "CSV", "API", "SKU", "IBAN", "BIC", "Email", "email", "mail",
    "Partner", "partner", "Dashboard", "Online", "online", "Web", "Shopify", "Bronze", "Silver",
    "Gold", "Login", "login", "Status", "Tier", "tier", "Totale", "Total", "Marketing", "Business",
    "Manager", "manager", "Team", "team", "Bulk", "Digest", "Feedback", "Mix", "Premium",
    "Standard",
    "PDF", "URL", "TOTP", "QR", "Ok", "OK",
}  # fmt: skip


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in {"script", "style", "template"}:
            self.skip += 1
        if self.depth and not self.skip:
            for name, value in attrs:
                if name in {"title", "placeholder", "aria-label", "alt"} and value:
                    self.chunks.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag == "main" and self.depth:
            self.depth -= 1
        if tag in {"script", "style", "template"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if self.depth and not self.skip and text:
            self.chunks.append(text)


def main_text(html: str) -> list[str]:
    parser = _MainText()
    parser.feed(html)
    return parser.chunks


def english_left(
    english_html: str, translated_html: str, *, data: set[str], allowed: set[str] = frozenset()
) -> list[str]:
    """Chunks of the translated page that are word for word the English page's, once the
    data (names, codes, emails), numbers and words every language shares are taken out."""
    english = set(main_text(english_html))
    left = []
    for chunk in main_text(translated_html):
        if chunk not in english:
            continue
        rest = chunk
        for value in sorted(data, key=len, reverse=True):
            if len(value) > 1 and value in rest:
                rest = rest.replace(value, " ")
        words = [w for w in WORD.findall(rest) if w not in SAME_IN_EVERY_LANGUAGE | allowed]
        if words:
            left.append(chunk)
    return sorted(set(left))
