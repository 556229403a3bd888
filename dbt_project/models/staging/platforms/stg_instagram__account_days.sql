-- Generated from pipelines/platform_spec by `python -m pipelines.platform_spec.generate`: do not edit.
-- Instagram Graph API account-days in the conformed schema: see platform_account_days() and the
-- model description in _platforms.yml.
{{ platform_account_days('instagram') }}
