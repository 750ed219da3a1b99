"""Titles a feed's episodes can be told apart by.

Two papers often run the same wire story under the same headline, and a day of an
archive or a newsroom's feed then holds two episodes with one title: podcast apps show
them as one (AntennaPod merges episodes that share a title and a day), and `nashra check`
refuses such a feed, which would stop the whole show being published over one headline.
So where episodes of a feed share a title and not their writer, each is named by its
article's writer or source (`<title> — <author>`), and those still alike are numbered in
the order they were published, the first keeping its title (`(2)`, `(3)`…). An episode
whose title is its own is left as it is; only the feed's titles change (the episode's
page and tags keep the article's).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence

from nashra.render.feed import EpisodeEntry

SEPARATOR = " — "


def distinct_titles(entries: Sequence[EpisodeEntry]) -> list[EpisodeEntry]:
    """`entries` with each shared title made distinct, as the module says."""
    order = sorted(range(len(entries)), key=lambda i: (entries[i].pub_date, entries[i].slug))
    titles = [e.title for e in entries]
    by_title: defaultdict[str, list[int]] = defaultdict(list)
    for index, title in enumerate(titles):
        by_title[title].append(index)
    for indexes in by_title.values():
        authors = {index: (entries[index].author or "").strip() for index in indexes}
        if len(set(authors.values())) > 1:  # the writers tell them apart
            for index, author in authors.items():
                if author:
                    titles[index] = f"{titles[index]}{SEPARATOR}{author}"
    # Those still alike (one writer, no writer, or a title that now meets another's):
    # numbered, the oldest keeping its title.
    count = Counter(titles)
    seen: Counter[str] = Counter()
    for index in order:
        title = titles[index]
        if count[title] > 1:
            seen[title] += 1
            if seen[title] > 1:
                titles[index] = f"{title} ({seen[title]})"
    return [
        entry if entry.title == title else dataclasses.replace(entry, title=title)
        for entry, title in zip(entries, titles, strict=True)
    ]
