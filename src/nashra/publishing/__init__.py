"""`nashra publish`: `output/` put online through rclone, in an order that never shows
a podcast app a feed naming a missing file, and checked over HTTP afterwards.

- `publish.py`: what changed, in a safe order, with which headers; the run;
- `rclone.py`: the rclone adapter (list, upload, delete on a remote);
- `remotes.py`: targets and rclone's messages with their credentials redacted, rclone's
  errors explained (how rclone reads a target is `nashra.config.targets`);
- `sent.py`: what was sent to storage that reports no hashes (WebDAV), to send it once;
- `verify.py`: the published feed and its enclosures fetched over HTTP.

May import: `check`, `render`, `config`, `storage`, `core` and the layers below them.
Never a stage, the server or the CLI.
"""
