{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='activity_date',
    window_entities=['requests', 'activity'],
    on_schema_change='sync_all_columns',
) }}
{#
    One row per user × day × business unit × use case × tool on which the
    user was active (CONTRACTS.md §4): at least one request of any status
    (a model call, an agent run or a tool call: requests_count counts the
    model calls), or a vendor activity row with is_active. The business unit is the request's
    own, else the people row valid that day, else 'unassigned'; activity rows
    take the directory's (the latest valid_from wins when rows overlap).
    Vendor activity carries no use case ('unassigned').
    Incremental by day (macros/incremental.sql), like int_requests_enriched:
    a run rebuilds the days new request or activity batches touched, plus the
    lookback, from the already rebuilt requests and all committed activity.
#}
with

requests as {{ inline_cte() }} (

    select * from {{ ref('int_requests_enriched') }}

),

activities as (

    select * from {{ ref('stg_landing__activities') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

directory_fingerprint as (

    {{ rows_fingerprint('people', [
        'user_id', 'business_unit_id', 'valid_from', 'valid_to',
    ]) }}

),

inputs as (

    select
        {{ dbt.hash(dbt.concat([
            "'" ~ model.checksum.checksum ~ "'",
            '(select max(requests.inputs_fingerprint) from requests)',
            'directory_fingerprint.fingerprint',
        ])) }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at
    from directory_fingerprint

),

{%- if is_incremental() %}

window_days as (

    {{ changed_partitions(
        ['requests', 'activity'], 'day', '(select inputs.fingerprint from inputs)'
    ) }}

),

requests_in_window as (

    select requests.*
    from requests
    inner join window_days
        on requests.request_date = window_days.partition_value

),

activities_in_window as (

    select activities.*
    from activities
    inner join window_days
        on activities.activity_date = window_days.partition_value

),

{%- else %}

requests_in_window as (

    select * from requests

),

activities_in_window as (

    select * from activities

),

{%- endif %}

request_days as (

    select
        requests_in_window.user_id,
        requests_in_window.business_unit_id,
        requests_in_window.use_case_id,
        requests_in_window.tool,
        requests_in_window.request_date as activity_date,
        {#- any row makes the user active; requests_count counts model calls
            (CONTRACTS.md §5.1), as the operations and trust marts do #}
        sum(case when requests_in_window.is_model_call then 1 else 0 end) as requests_count
    from requests_in_window
    where requests_in_window.user_id is not null
    group by 1, 2, 3, 4, 5

),

user_days as (

    select distinct
        activities_in_window.user_id,
        activities_in_window.activity_date
    from activities_in_window

),

directory_matches as (

    select
        user_days.user_id,
        user_days.activity_date,
        people.business_unit_id,
        row_number() over (
            partition by user_days.user_id, user_days.activity_date
            order by people.valid_from desc, people.business_unit_id asc
        ) as match_rank
    from user_days
    inner join people
        on
            user_days.user_id = people.user_id
            and (
                people.valid_from is null
                or user_days.activity_date >= people.valid_from
            )
            and (
                people.valid_to is null
                or user_days.activity_date <= people.valid_to
            )

),

activity_days as (

    select
        activities_in_window.user_id,
        coalesce(directory_matches.business_unit_id, 'unassigned')
            as business_unit_id,
        'unassigned' as use_case_id,
        activities_in_window.tool,
        activities_in_window.activity_date,
        0 as requests_count
    from activities_in_window
    left join directory_matches
        on
            activities_in_window.user_id = directory_matches.user_id
            and activities_in_window.activity_date
            = directory_matches.activity_date
            and directory_matches.match_rank = 1
    where activities_in_window.is_active

),

unioned as (

    select * from request_days
    union all
    select * from activity_days

),

final as (

    select
        -- ids
        unioned.user_id,
        unioned.business_unit_id,
        unioned.use_case_id,
        -- strings
        unioned.tool,
        -- numerics
        sum(unioned.requests_count) as requests_count,
        -- dates
        unioned.activity_date,
        {{ week_start('unioned.activity_date') }} as week_start,
        {{ period_start('month', 'unioned.activity_date') }} as month_start,
        -- bookkeeping (macros/incremental.sql)
        max(inputs.logged_through_at) as logged_through_at,
        max(inputs.fingerprint) as inputs_fingerprint
    from unioned
    cross join inputs
    group by
        unioned.user_id,
        unioned.business_unit_id,
        unioned.use_case_id,
        unioned.tool,
        unioned.activity_date

)

select * from final
