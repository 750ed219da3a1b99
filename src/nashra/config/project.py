"""`nashra init`: a new podcast project with commented settings and one sample article."""

from __future__ import annotations

from pathlib import Path

from nashra.core.errors import UsageError
from nashra.storage import paths
from nashra.storage.paths import SETTINGS_FILE

PLACEHOLDER_BASE_URL = "https://podcast.example.com"
PLACEHOLDER_EMAIL = "editor@example.com"
"""What `nashra check` warns about until the user has put their own in."""

PODCAST_TOML = f"""\
# nashra podcast settings. Every key is documented in nashra's docs/configuration.md.

# The podcast as directories and apps show it.
title = "نشرتي"
description = "مقالات مختارة تُقرأ بصوت عربي، حلقة لكل مقال."
author = "فريق التحرير"
language = "ar"            # ISO 639-1, optionally with a region: ar-eg, ar-sa
explicit = false
category = "News"
subcategory = "Daily News"

# Where the contents of output/ will be published (https, no trailing slash needed).
# Enclosure and feed URLs are built from it.
base_url = "{PLACEHOLDER_BASE_URL}"
# link = "https://example.com"   # the podcast's website; defaults to base_url
# image = "cover.jpg"            # square JPEG/PNG, 1400-3000 px; generated when absent
# copyright = "© 2026 ..."
# locked = true                  # podcast:locked: refuse imports into other hosts
# ai_content = true              # the voice is synthetic: the feed and descriptions say so

[owner]                          # directories e-mail this address to verify you
name = "فريق التحرير"
email = "{PLACEHOLDER_EMAIL}"

[speech]
engine = "auto"        # auto: Google when reachable, else espeak-ng offline; or gtts, espeak
                       # (`nashra engines` lists every engine installed, plugins too)

[speech.espeak]        # each engine has its own table of options
voice = "ar"           # espeak-ng voice, e.g. ar, ar+m3, ar+f3
rate = 260             # espeak-ng speed setting: 260 reads about 140 words a minute

[speech.gtts]
tld = "com"            # Google host: translate.google.<tld>
timeout = 30           # seconds per request
packing = "fill"       # fill: fewest requests (sentences share one); sentence: one per sentence

[audio]
bitrate = "96k"        # constant bitrate, mono; 96k is the floor podcast directories accept
sample_rate = 44100
comma_pause_ms = 200   # a newsreader's breath at a comma; 0: the voice's own, under 100 ms
sentence_pause_ms = 350
paragraph_pause_ms = 800
section_pause_ms = 1400

# Where `nashra publish` uploads output/: an rclone remote and path (see docs/publishing.md).
# Credentials never go here: keep them in rclone's config or the environment.
# [publish]
# target = "r2:my-bucket/podcast"

# A bulletin (نشرة) per day: each closed day's articles in one episode, in output/bulletin.xml.
# [bulletin]
# enabled = true
# timezone = "Asia/Riyadh"     # the days are counted in this time zone
# hijri = true                 # read the Hijri date after the Gregorian one
"""

SAMPLE_ARTICLE = """\
---
title: مرحبا بكم في نشرتي
author: فريق التحرير
date: 2026-01-01
description: الحلقة الأولى من النشرة.
---

هذه أول حلقة في النشرة. ضع مقالاتك في مجلد المقالات، ثم اطلب البناء، فتصير كل مقالة حلقة مسموعة.

## كيف تعمل

يقرأ البرنامج كل مقالة، ويقسمها إلى فقرات وجمل، ثم يحولها إلى كلام عربي،
ويجمع المقاطع في ملف صوتي واحد لكل حلقة.
"""

SAMPLE_ARTICLE_NAME = "welcome.md"

GITIGNORE = """\
/output/
/.nashra/cache/
"""


def init_project(directory: Path) -> list[Path]:
    """Create a project in `directory`; refuse to overwrite an existing one."""
    settings = directory / SETTINGS_FILE
    if settings.exists():
        raise UsageError(f"{settings} already exists; refusing to overwrite a project")
    articles = directory / paths.ARTICLES_DIR
    articles.mkdir(parents=True, exist_ok=True)
    files = {
        settings: PODCAST_TOML,
        articles / SAMPLE_ARTICLE_NAME: SAMPLE_ARTICLE,
        directory / ".gitignore": GITIGNORE,
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
