"""The google-cloud engine: Google Cloud Text-to-Speech's voices, online, paid, with an API
key or Application Default Credentials from the environment.

- `engine`: the engine and its `[speech.google-cloud]` options; `service`: the REST API
  through `requests` (where it is, the requests and what their refusals mean);
  `credentials`: the API key, or a service account's access token through google-auth
  (the one adapter for google-auth, an optional extra).

Requests are planned and escaped by the shared `nashra.engines.ssml`; rate limits, retries
and the breaker are the shared `nashra.engines.resilience`.
May import: `engines`, `text`, `core`.
"""
