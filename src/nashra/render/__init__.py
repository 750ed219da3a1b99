"""The renderers: what a build writes for listeners, one adapter per library.

- `feed` (feedgen) and `feed_items` (a published feed read back); `descriptions` (an
  episode's description: `episode_description` filled in, held to 4000 bytes);
- `site` (Jinja2 pages and `templates/`), `sidecars` (chapters and transcripts);
- `audio` (pydub and ffmpeg) and `loudness`; `tagging` (mutagen ID3); `artwork` (Pillow covers);
- `media_types`: the MIME type of each file nashra writes (the feed, `serve` and `publish` read it).

May import: `config`, `readers` (what an article may hand a podcast app), `text`,
`storage` and `core`. Never an engine, a stage, publishing or the CLI.
"""
