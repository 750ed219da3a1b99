"""The Piper engine: a neural voice, offline.

- `engine`: the engine; `phonemes`: text to Piper's phoneme ids through espeak-ng;
- `voices` and `catalogue`: the voices on this machine, the ones nashra knows by name,
  download and removal (`nashra voices` is a thin CLI adapter over them).

May import: `engines` (and `engines.espeak` for the phonemizer's spelling), `text`,
`storage`, `core`.
"""
