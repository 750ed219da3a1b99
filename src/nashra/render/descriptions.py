"""An episode's description as the feed shows it: `episode_description` filled in
(`config.descriptions`) and held to the byte limit directories set.

When the whole is too long, the lead is shortened, not the end: the sentence about
the synthetic voice and the article's address must survive a long lead.
"""

from __future__ import annotations

from nashra.config.descriptions import fill

# Apple's limit for descriptions is in bytes, and Arabic letters take two.
DESCRIPTION_MAX_BYTES = 4000
ELLIPSIS = "…"


def describe(template: str, values: dict[str, str], limit: int = DESCRIPTION_MAX_BYTES) -> str:
    """`template` filled from `values` (clean one-line texts), its lines joined by
    spaces, at most `limit` UTF-8 bytes; the lead is what gets cut."""
    text = " ".join(fill(template, values))
    if len(text.encode("utf-8")) <= limit:
        return text
    lead = values.get("lead", "")
    rest = " ".join(fill(template, {**values, "lead": ELLIPSIS}))
    budget = limit - len(rest.encode("utf-8")) + len(ELLIPSIS.encode("utf-8"))
    if lead and budget > len(ELLIPSIS.encode("utf-8")):
        text = " ".join(fill(template, {**values, "lead": truncate_utf8(lead, budget)}))
    return truncate_utf8(text, limit)


def truncate_utf8(text: str, limit: int = DESCRIPTION_MAX_BYTES) -> str:
    """`text` cut to at most `limit` UTF-8 bytes at a word boundary, ending in "…"."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(ELLIPSIS.encode("utf-8"))
    # Cutting bytes can split a character; dropping the partial one is the point.
    head = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    if not text[len(head)].isspace():
        words, space, _ = head.rpartition(" ")
        if space and words.strip():
            head = words
    return head.rstrip() + ELLIPSIS
