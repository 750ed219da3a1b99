"""Articles from the web: `nashra import url` and `nashra import feed`.

- `fetch`: polite HTTP(S) requests (the one adapter of `requests` here): user agent,
  rate limit per host, retries, size limit, redirects, robots.txt, conditional GETs;
- `extract`: the article in a page (the one adapter of trafilatura);
- `feeds`: an RSS or Atom feed's items (the one adapter of feedparser);
- `state`: what the feed importer remembers between runs;
- `importer`: pages and feed items into article files, as the archive importer
  (`nashra.readers.importing`) writes them.

May import: `readers`, `text`, `storage` and `core`. Never an engine, settings or a stage.
"""
