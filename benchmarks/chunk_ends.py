"""Where the chunks of speech end: how many cuts inside a sentence break a phrase.

    python benchmarks/chunk_ends.py [--check] [--show N] [ARTICLE ...]

A sentence too long for one request is cut, and each piece is voiced on its
own: the listener hears its end as the end of a phrase. Over the test corpus and
over `UNSEEN_ARTICLES` articles of archive days nobody tuned on (`unseen.py`),
prints for the script's chunks (at most `LIMIT` characters) and for the requests
of an engine that takes 100 characters (`REQUEST_LIMIT`, packed as a build packs
them):

- the chunk ends, and the cuts among them that fall inside a sentence (an
  utterance followed by no pause);
- how many cuts fall inside a phrase (`nashra.text.phrases.inside_phrase`: a
  name chain فيصل بن ‖ فهد, a construct رئيس ‖ مجلس, after a preposition
  في ‖ المدينة or a particle الذي ‖ ورثه), as a share of the chunk ends and of
  the cuts;
- with `--show N`, the first N such cuts.

`--check` exits 1 when more than `TARGET` of the chunk ends fall inside a
phrase, in either set.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

from targets import Verdict, add_check_argument, exit_status
from unseen import corpus_paths, describe, draw_items, unseen_days, write_items

from nashra.config.settings import Audio
from nashra.core.errors import ArticleError
from nashra.core.model import Script
from nashra.engines import create_engine
from nashra.readers import read_article
from nashra.stages.script import LIMIT, make_script
from nashra.text.phrases import inside_phrase

REQUEST_LIMIT = 100
UNSEEN_ARTICLES = 40
UNSEEN_SEED = 41
TARGET = 0.03
"""The largest share of cuts inside a sentence that may break a phrase."""


def mid_phrase_cuts(script: Script) -> tuple[int, int, list[str]]:
    """(chunk ends, cuts inside a sentence, the cuts that break a phrase, each shown
    as `a b ‖ c d`)."""
    cuts = 0
    broken: list[str] = []
    utterances = script.utterances
    for before, after in itertools.pairwise(utterances):
        if before.pause_after_ms != 0:
            continue
        cuts += 1
        left, right = before.speech.split(), after.speech.split()
        if left and right and inside_phrase(left[-1], right[0]):
            broken.append(f"{' '.join(left[-3:])} ‖ {' '.join(right[:3])}")
    return len(utterances), cuts, broken


def judge(name: str, paths: list[Path], show: int) -> Verdict:
    """Measure both kinds of chunk on `paths` and print them."""
    engine = create_engine("gtts")
    totals: dict[str, list[int]] = {"script": [0, 0, 0], "requests": [0, 0, 0]}
    examples: list[str] = []
    unread = 0
    for path in paths:
        try:
            article = read_article(path)
        except ArticleError:
            unread += 1  # an archive entry with no body: nothing is said
            continue
        script = make_script(article, Audio(), limit=LIMIT)
        for kind, chunked in (("script", script), ("requests", engine.plan(script))):
            ends, cuts, broken = mid_phrase_cuts(chunked)
            totals[kind][0] += ends
            totals[kind][1] += cuts
            totals[kind][2] += len(broken)
            examples += [f"{kind} {path.name}: {cut}" for cut in broken]
    met = True
    shares = []
    for kind, (ends, cuts, inside) in totals.items():
        share = inside / ends if ends else 0.0
        met = met and share <= TARGET
        shares.append(f"{kind} {inside}/{ends}")
        limit = LIMIT if kind == "script" else REQUEST_LIMIT
        print(
            f"{name}, {kind} (≤{limit} characters): {ends} chunk ends, {cuts} inside a "
            f"sentence, {inside} inside a phrase ({share:.1%} of the ends, "
            f"{inside / cuts if cuts else 0.0:.1%} of the cuts)"
        )
    if unread:
        print(f"{name}: {unread} articles with no text to read left out")
    for example in examples[:show]:
        print(f"    {example}")
    return Verdict(
        f"{name}: chunk ends inside a phrase",
        f"at most {TARGET:.0%} of them ({', '.join(shares)})",
        met,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print N broken cuts")
    add_check_argument(parser)
    args = parser.parse_args()
    found = [judge("corpus", args.articles or corpus_paths(), args.show)]
    days = [] if args.articles else unseen_days()
    items = draw_items(days, UNSEEN_ARTICLES, UNSEEN_SEED) if days else []
    if not args.articles:
        print(describe(days, items))
    if items:
        with tempfile.TemporaryDirectory() as folder:
            found.append(judge("unseen", write_items(items, Path(folder)), args.show))
    return exit_status(found, check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
