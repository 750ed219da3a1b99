"""The gTTS engine: Google Translate's voice, online.

- `engine`: the engine; `packing`: a script packed into as few requests as allowed.

Its rate limits, retries and breaker are the shared `nashra.engines.resilience`.
May import: `engines`, `text`, `core`.
"""
