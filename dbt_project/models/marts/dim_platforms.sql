-- One row per platform, summarising the metric catalogue: which conformed metrics it provides, which the
-- warehouse derives, which it cannot give.
with

catalogue as (
    select * from {{ ref('platform_metric_catalogue') }}
),

final as (
    select
        platform,
        case platform
            when 'instagram' then 'Instagram'
            when 'facebook' then 'Facebook Pages'
            when 'youtube' then 'YouTube'
            when 'x' then 'X'
            when 'tiktok' then 'TikTok'
            else platform
        end as platform_name,
        count(*) filter (where availability = 'provided') as provided_metrics_count,
        count(*) filter (where availability = 'derived') as derived_metrics_count,
        count(*) filter (where availability = 'absent') as absent_metrics_count,
        string_agg(metric, ', ' order by metric) filter (where availability = 'provided') as provided_metrics,
        string_agg(metric, ', ' order by metric) filter (where availability = 'derived') as derived_metrics,
        string_agg(metric, ', ' order by metric) filter (where availability = 'absent') as absent_metrics,
        bool_or(metric = 'engagements_count' and availability != 'absent') as has_engagements,
        bool_or(metric = 'views_count' and availability != 'absent') as has_views,
        bool_or(metric = 'reach_count' and availability != 'absent') as has_reach,
        max(notes) filter (where metric = 'engagements_count') as engagements_definition
    from catalogue
    group by platform
)

select * from final
