"""Apple Podcasts categories: the only `itunes:category` values Apple accepts.

The list is data (`apple-categories.json`): Apple's categories since 2019, each
with its subcategories, as Apple publishes them and the W3C feed validator
mirrors them. Apple files a show whose category is not on it nowhere.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from nashra.core.suggest import closest, did_you_mean


@functools.cache
def apple_categories() -> dict[str, tuple[str, ...]]:
    """Each Apple category and its subcategories (some have none)."""
    text = resources.files("nashra.config").joinpath("apple-categories.json").read_text("utf-8")
    return {name: tuple(subs) for name, subs in json.loads(text).items()}


def category_problem(category: str, subcategory: str | None) -> str | None:
    """What is wrong with this category and subcategory for Apple, or None when nothing is."""
    categories = apple_categories()
    if category not in categories:
        return f"`category` {category!r} is not one of Apple's categories" + (
            did_you_mean(category, categories) or f" ({', '.join(categories)})"
        )
    if subcategory is None:
        return None
    subcategories = categories[category]
    if subcategory in subcategories:
        return None
    if not subcategories:
        return f"`{category}` has no subcategories in Apple's list; remove `subcategory`"
    owner = next((name for name, subs in categories.items() if subcategory in subs), None)
    if owner is not None:
        return f"`subcategory` {subcategory!r} belongs to `{owner}`, not to `{category}`"
    match = closest(subcategory, subcategories)
    hint = f"did you mean `{match}`?" if match else f"choose one of {', '.join(subcategories)}"
    return (
        f"`subcategory` {subcategory!r} is not one of Apple's subcategories of {category}; " + hint
    )
