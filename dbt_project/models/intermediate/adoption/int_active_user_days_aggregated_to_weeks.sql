{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='week_start',
    window_entities=['requests', 'activity'],
    window_grain='week',
    on_schema_change='sync_all_columns',
) }}
{#
    One row per user × week × business unit × use case × tool with activity
    (int_active_user_days_unioned rolled up to weeks): the days active and
    the requests. The weekly adoption, lifecycle, trust and licence models
    count distinct people here, a quarter of the day rows.
    Incremental by week: a run rebuilds every week holding a day that
    int_active_user_days_unioned rebuilt.
#}
with

active_user_days as {{ inline_cte() }} (

    select * from {{ ref('int_active_user_days_unioned') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

inputs as (

    select
        {{ dbt.hash(dbt.concat([
            "'" ~ model.checksum.checksum ~ "'",
            'max(active_user_days.inputs_fingerprint)',
        ])) }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at
    from active_user_days

),

{%- if is_incremental() %}

window_weeks as (

    {{ changed_partitions(
        ['requests', 'activity'], 'week', '(select inputs.fingerprint from inputs)'
    ) }}

),

days_in_window as (

    select active_user_days.*
    from active_user_days
    inner join window_weeks
        on active_user_days.week_start = window_weeks.partition_value

),

{%- else %}

days_in_window as (

    select * from active_user_days

),

{%- endif %}

final as (

    select
        -- ids
        days_in_window.user_id,
        days_in_window.business_unit_id,
        days_in_window.use_case_id,
        -- strings
        days_in_window.tool,
        -- numerics
        count(*) as active_days_count,
        sum(days_in_window.requests_count) as requests_count,
        -- dates
        days_in_window.week_start,
        -- bookkeeping (macros/incremental.sql)
        max(inputs.logged_through_at) as logged_through_at,
        max(inputs.fingerprint) as inputs_fingerprint
    from days_in_window
    cross join inputs
    group by
        days_in_window.user_id,
        days_in_window.business_unit_id,
        days_in_window.use_case_id,
        days_in_window.tool,
        days_in_window.week_start

)

select * from final
