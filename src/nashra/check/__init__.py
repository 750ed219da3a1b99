"""`nashra check`: lint the published feed and its media against what directories require.

It reads `output/feed.xml` as a podcast app would, with a strict XML parser and
no knowledge of how it was made, follows every URL under `base_url` back to its
file in `output/`, and reports each problem as a `Finding` naming the rule and
the item. Errors are what Apple, Spotify or Podcasting 2.0 apps reject or get
wrong; warnings are what they merely recommend. The rules follow §11 of the
shared podcast-feed requirements.

`voices` warns about a voice that does not speak Arabic, asking the engines.

May import: `render` (the feed read back), `config`, `engines` (what a voice speaks),
`readers`, `text`, `storage` and `core`. Never a stage, publishing, the server or the
CLI: the build calls the check.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from nashra.check.feed import FeedRules
from nashra.check.files import FileMemo
from nashra.check.findings import ERROR, WARNING, Finding, count_errors
from nashra.check.settings_rules import settings_warnings
from nashra.check.voices import voice_warnings
from nashra.config.settings import Settings
from nashra.core.errors import NashraError, UsageError
from nashra.storage import paths
from nashra.storage.bulletin_state import BulletinState
from nashra.storage.state import BuildState

__all__ = ["ERROR", "WARNING", "Finding", "check_project", "count_errors"]


def check_project(settings: Settings, *, now: datetime, articles: bool = False) -> list[Finding]:
    """Check `output/feed.xml` of a built project, and every file it points to; and
    the bulletins' feed `output/bulletin.xml` when there is one. With `articles`, the
    voices the articles name too (`check.voices`: it opens every article).

    Raises `UsageError` when nothing has been built yet: there is nothing to check.
    """
    state_file = paths.state_file(settings.work_dir)
    feed_file = settings.output_dir / paths.FEED_FILE
    if not feed_file.exists() and not state_file.exists():
        raise UsageError(f"{feed_file}: nothing has been built yet; run `nashra build` first")
    try:
        known = BuildState.guids_by_file(state_file)
    except NashraError:
        known = {}
    memo = FileMemo(paths.check_memo(settings.work_dir))
    checker = FeedRules(settings, now, known, memo)
    findings = checker.run(feed_file)
    bulletin_feed = settings.output_dir / paths.BULLETIN_FEED_FILE
    if bulletin_feed.exists():
        try:
            bulletins = BulletinState.load(
                paths.bulletin_state_file(settings.work_dir)
            ).bulletins.values()
            known = {b.record.file: b.record.guid for b in bulletins}
        except NashraError:
            known = {}
        findings += [
            replace(f, item=f"{paths.BULLETIN_FEED_FILE} {f.item}")
            for f in FeedRules(settings, now, known, memo).run(bulletin_feed)
        ]
    memo.save()
    return settings_warnings(settings) + voice_warnings(settings, articles=articles) + findings
