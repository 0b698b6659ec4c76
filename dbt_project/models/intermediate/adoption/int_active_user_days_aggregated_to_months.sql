{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='month_start',
    window_entities=['requests', 'activity'],
    window_grain='month',
    on_schema_change='sync_all_columns',
) }}
{#
    One row per user × month × business unit with activity
    (int_active_user_days_unioned rolled up to months, across use cases and
    tools): the distinct days and distinct weeks (Mondays) active in the
    month. The monthly adoption and enablement marts and the quarterly review
    count distinct people here.
    Incremental by month: a run rebuilds every month holding a day that
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

window_months as (

    {{ changed_partitions(
        ['requests', 'activity'], 'month', '(select inputs.fingerprint from inputs)'
    ) }}

),

days_in_window as (

    select active_user_days.*
    from active_user_days
    inner join window_months
        on active_user_days.month_start = window_months.partition_value

),

{%- else %}

days_in_window as (

    select * from active_user_days

),

{%- endif %}

user_days as (

    select distinct
        days_in_window.user_id,
        days_in_window.business_unit_id,
        days_in_window.month_start,
        days_in_window.week_start,
        days_in_window.activity_date
    from days_in_window

),

final as (

    select
        -- ids
        user_days.user_id,
        user_days.business_unit_id,
        -- numerics
        count(*) as active_days_count,
        {{ count_distinct('user_days.week_start') }} as active_weeks_count,
        -- dates
        user_days.month_start,
        -- bookkeeping (macros/incremental.sql)
        max(inputs.logged_through_at) as logged_through_at,
        max(inputs.fingerprint) as inputs_fingerprint
    from user_days
    cross join inputs
    group by
        user_days.user_id,
        user_days.business_unit_id,
        user_days.month_start

)

select * from final
