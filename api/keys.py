"""The shape of an API key: `cpm_<prefix>_<secret>` (a manufacturer's) or `cpr_…` (a
reseller's). The prefix finds the row, the SHA-256 of the whole key proves it."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

MANUFACTURER_KIND = "cpm"
RESELLER_KIND = "cpr"
KINDS = frozenset({MANUFACTURER_KIND, RESELLER_KIND})
PREFIX_BYTES = 6
SECRET_BYTES = 32
# Longer than any key we issue; a header past it is refused without a lookup.
MAX_KEY_LENGTH = 120


@dataclass(frozen=True)
class ParsedKey:
    kind: str
    prefix: str
    raw: str


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def key_generate(kind: str) -> tuple[str, str]:
    """A new key: (prefix, the whole key to show once)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"{kind}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"


def key_parse(raw: str) -> ParsedKey | None:
    if len(raw) > MAX_KEY_LENGTH:
        return None
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] not in KINDS or len(parts[1]) != PREFIX_BYTES * 2:
        return None
    return ParsedKey(kind=parts[0], prefix=parts[1], raw=raw)


def key_matches(raw: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(raw), stored_hash)
