"""The declarative-automation sensor: dbt models and the publish step follow new lake partitions.

It runs on the code server (`use_user_code_server`): the warehouse assets' condition includes
`pipelines.lake_activity.LakeSettled`, plain Python that looks at the instance's runs and backfills.
"""

import dagster as dg

warehouse_automation_sensor = dg.AutomationConditionSensorDefinition(
    "warehouse_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=5,
    use_user_code_server=True,
)
