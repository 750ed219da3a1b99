"""The project's storage: what nashra keeps on disk between runs, and how it writes.

- `paths`: every file name nashra gives a file;
- `writer`: safe writes (whole or not at all, never outside their folder);
- `state`, `state_schema`, `bulletin_state`: the build state and the bulletins' state;
- `cache`: the clip cache; `fingerprint`: one hash of every file the package ships;
- `lock`, `scratch`, `episode_folder`: one build at a time, its temporary audio, and what
  `output/episodes/` holds.

May import: `core` only.
"""
