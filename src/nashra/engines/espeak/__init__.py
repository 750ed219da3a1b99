"""The espeak-ng engine, and everything that exists only for espeak-ng's phonemizer.

- `engine`: the engine; `backend`: where eSpeak NG comes from (the wheel, the system
  library, or the program); `fresh`: a library voice per clip; `program`: the
  `espeak-ng` program as the backend; `clauses`: a sentence's comma clauses joined
  into one SSML request, the comma pause inside;
- `spelling` and `pause_forms`: Arabic respelled so that espeak-ng says it right
  (Piper speaks through the same phonemizer, so its engine uses them too);
- `pronunciation`: measuring what espeak-ng says.

May import: `engines` (the contract), `text`, `storage` and `core`.
"""
