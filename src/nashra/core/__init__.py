"""The bottom layer: the plain data that flows between the stages, and the runtime every
layer may use.

- `model`: articles, scripts, clips, chapters and episode records, which every layer
  passes on (what only the stages hand each other is in `nashra.stages.types`);
- `errors`: the one exception hierarchy the CLI knows how to show;
- `progress`, `clock`, `lifetime`, `interrupt`: how a run reports, tells the time, ends
  its child processes and stops on a signal;
- `pacing`: the rate limit and retry policy every network caller shares;
- `pubdates`, `suggest`: small rules with no dependencies.

May import: the standard library only, and nothing else in nashra.
"""
