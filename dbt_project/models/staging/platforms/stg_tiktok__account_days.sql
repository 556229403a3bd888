-- Generated from pipelines/platform_spec by `python -m pipelines.platform_spec.generate`: do not edit.
-- TikTok Display API v2 account-days in the conformed schema: see platform_account_days() and the
-- model description in _platforms.yml.
{{ platform_account_days('tiktok') }}
