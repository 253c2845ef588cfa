"""The data inside a GovChain certificate (an OpenAttestation v2 document, before wrapping).

    {
      "$template": {"name": "GOVCHAIN_CERTIFICATE", "type": "EMBEDDED_RENDERER", "url": ...},
      "id": "<uuid4>",
      "name": "Business Licence",
      "certificateType": "BUSINESS_LICENCE",
      "issuers": [{"name": "Beijing Administration for Market Regulation",
                   "documentStore": "0x<the type's store>",
                   "identityProof": {"type": "DNS-TXT", "location": "<domain>"}}],
      "issuer": {"address": "0x…", "chainId": 1337, "typeCode": 2},
      "holder": {"id": "0x<keyed hash of the identifier>", "kind": "enterprise"},
      "issuedOn": "2026-11-22T10:00:00Z", "validFrom": "…", "validUntil": "…" (or absent),
      "fields": {"companyName": "…", …}
    }

The holder appears only as the keyed hash of its identifier (see :mod:`govchain.identity`), never
the plain ID number; every value is salted when the document is wrapped.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from govchain.errors import InputError
from govchain.framework.certificates.types import CertificateType
from govchain.framework.identity import person_id

RENDERER_URL = "https://renderer.govchain.example/"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DAY = timedelta(days=1)


@dataclass
class Draft:
    """What a clerk fills in for one certificate."""

    fields: dict[str, Any]
    holder: str | None = None  # the holder's identifier (ID number, credit code): hashed
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IssuerInfo:
    address: str
    name: str
    store: str
    chain_id: int
    domain: str


def check_fields(ctype: CertificateType, draft: Draft) -> None:
    """A clear error for a field the type needs that is blank, or one it does not have."""
    info = ctype.info
    missing = [f for f in (info.fields if info else ()) if _blank(draft.fields.get(f))]
    if missing:
        raise InputError(
            f"{ctype.title}: missing field(s) {', '.join(missing)} "
            f"(its fields: {', '.join(info.fields) if info else '-'})."
        )
    unknown = sorted(set(draft.fields) - set(info.fields)) if info else []
    if unknown:
        raise InputError(
            f"{ctype.title} has no field(s) {', '.join(unknown)}; "
            f"its fields are {', '.join(info.fields) if info else '-'}."
        )


def build_data(
    ctype: CertificateType,
    draft: Draft,
    issuer: IssuerInfo,
    secret: bytes,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The OA v2 data of one certificate; a clear error for anything missing or inconsistent."""
    check_fields(ctype, draft)
    info = ctype.info
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    # Validity runs by whole UTC days (the chain records days): from the first day's start to
    # the last day's end. Unless stated, from the day of issue.
    start = _day_start(_utc(draft.valid_from) if draft.valid_from else issued)
    end = _day_end(_utc(draft.valid_until)) if draft.valid_until else None
    if end is None and info and info.valid_years:
        end = _day_end(start + timedelta(days=round(365.25 * info.valid_years)) - DAY)
    if end is not None and end <= start:
        raise InputError(f"{ctype.title}: the validity ends before it starts.")
    data: dict[str, Any] = {
        "$template": {
            "name": "GOVCHAIN_CERTIFICATE",
            "type": "EMBEDDED_RENDERER",
            "url": RENDERER_URL,
        },
        "id": str(uuid.uuid4()),
        "name": ctype.title,
        "certificateType": ctype.label,
        "issuers": [
            {
                "name": issuer.name,
                "documentStore": issuer.store,
                "identityProof": {"type": "DNS-TXT", "location": issuer.domain},
            }
        ],
        "issuer": {"address": issuer.address, "chainId": issuer.chain_id, "typeCode": ctype.code},
        "issuedOn": issued.strftime(TIME_FORMAT),
        "validFrom": start.strftime(TIME_FORMAT),
        "fields": dict(draft.fields),
    }
    if end is not None:
        data["validUntil"] = end.strftime(TIME_FORMAT)
    if draft.holder:
        kind = info.holder_kind if info else "person"
        data["holder"] = {"id": person_id(draft.holder, secret), "kind": kind}
    data.update(draft.extra)
    return data


def parse_time(text: str) -> datetime:
    """``2026-11-22`` or ``2026-11-22T10:00:00Z`` (UTC) -> aware datetime."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", TIME_FORMAT, "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise InputError(f"'{text}' is not a date (use 2026-11-22 or 2026-11-22T10:00:00Z).")


def validity(data: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The validity window stated in a document's data (unsalted)."""
    start = data.get("validFrom")
    end = data.get("validUntil")
    return (
        parse_time(start) if isinstance(start, str) else None,
        parse_time(end) if isinstance(end, str) else None,
    )


def window_of(data: Mapping[str, Any]) -> tuple[int, int]:
    """The validity window the chain records for a document: its first and last day (days since
    1970-01-01 UTC), the last day 0 for no expiry. The dates a document states must fall on day
    boundaries (as :func:`build_data` writes them); anything else is refused."""
    start, end = validity(data)
    if start is not None and start != _day_start(start):
        raise InputError("validFrom must be the start of a day (00:00:00Z).")
    if end is not None and end != _day_end(end):
        raise InputError("validUntil must be the end of a day (23:59:59Z).")
    return (
        int(start.timestamp()) // 86400 if start else 0,
        int(end.timestamp()) // 86400 if end else 0,
    )


def day_range(first_day: int, last_day: int) -> tuple[datetime | None, datetime | None]:
    """The moments a (first day, last day) window runs between; None where open."""
    start = datetime.fromtimestamp(first_day * 86400, UTC) if first_day else None
    end = _day_end(datetime.fromtimestamp(last_day * 86400, UTC)) if last_day else None
    return start, end


def _day_start(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _day_end(moment: datetime) -> datetime:
    return _day_start(moment) + DAY - timedelta(seconds=1)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
