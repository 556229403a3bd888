"""Going live, checked: the credential check and token renewal against the real platforms (or the sandbox).

It sits above `pipelines.credentials` (mode, secrets store, URLs) and the clients' HTTP helpers:
- `check.run_check()` asks each platform's cheapest endpoint about every credential (`make check-credentials`,
  `python -m pipelines.live_credentials check`);
- `renewal.renew_tokens()` renews what the platforms let the pipeline renew, writes it back to the store
  atomically, and alerts a configurable number of days before a token that cannot be renewed expires.
"""
