"""The stages of a build, in order, each a module with plain data in and out.

1. `read`: article files → jobs (article, script, content key, dates, cover);
2. `decide`: jobs → the episodes already current, and those to make;
3. `voice`: the jobs to make → their clips in the clip cache (engine chosen once);
4. `assemble`: one episode's script and the clip cache → its MP3 and its record;
5. `publish`: the records → cover, sidecars, feed, pages, and old files removed;
6. the check: what was published, linted (`nashra.check`).

`nashra.stages.builder` only sequences them. Each stage takes plain, picklable values
(settings, paths, records, scripts), so one can run in another process, or on
another machine that sees the same clip cache. The values one stage hands another
(`Job`, `Voice`, `Assembly`, ...) live in `nashra.stages.types`: no stage imports
another's module for them. `bulletins` makes the bulletins; `cluster` runs the voice
and assemble stages on a Dask cluster.

May import: `publishing`, `check`, `render`, `config`, `engines` (through the registry,
never an engine by name), `readers`, `text`, `storage` and `core`. Never the server or the CLI.
"""
