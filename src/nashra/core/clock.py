"""The build's notion of now."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now_utc() -> datetime:
    """The build's notion of now; `SOURCE_DATE_EPOCH` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)
