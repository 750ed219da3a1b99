"""The Azure engine: Azure AI Speech's neural voices, online, with a key from the environment.

- `engine`: the engine and its `[speech.azure]` options; `ssml`: a request (planned and
  escaped by the shared `nashra.engines.ssml`) as Azure's SSML document; `service`: the
  REST API through `requests` (where it is, the key, the requests and what their refusals
  mean).

Its rate limits, retries and breaker are the shared `nashra.engines.resilience`.
May import: `engines`, `text`, `core`.
"""
