"""Settings: `podcast.toml` read once and checked, each table by its own section reader.

- `settings`: the one settings pass (defaults, the file, command-line overrides);
- `tables`: how every table is read into its dataclass (unknown keys, value types);
- `bulletin`, `cluster`: the `[bulletin]` and `[build]` tables;
- `descriptions`: the `episode_description` template, its fields and its defaults;
- `categories`, `languages`: the values Apple and BCP 47 accept;
- `targets`: a `[publish] target` read as rclone reads it, its credentials named;
- `project`: `nashra init`, a new project with commented settings.

May import: `core`, `storage`, `text`, `readers` (a link's safety) and `engines` (each
engine reads its own options table). Never a stage, the renderers, publishing or the CLI.
"""
