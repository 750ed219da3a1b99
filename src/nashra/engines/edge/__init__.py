"""The Edge engine: Microsoft's neural voices as the Edge browser reads aloud, free, without a
key, through an unofficial endpoint (edge-tts).

- `engine`: the engine and its `[speech.edge]` options (requests planned by the shared
  `nashra.engines.ssml`, sent as plain text); `service`: edge-tts and aiohttp, the one
  adapter for them (where the service is, the speech and voice-list requests, what their
  failures mean, the word timings); `limits`: what the service takes (a voice's name, a
  message's size), shared by both.

Its rate limits, retries and breaker are the shared `nashra.engines.resilience`.
May import: `engines`, `text`, `core`.
"""
