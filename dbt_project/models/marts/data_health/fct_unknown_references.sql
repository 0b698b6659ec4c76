{#
    One row per entity × column × unknown value: landed rows that reference
    an id absent from the operating-model configuration (seeds), with the
    rows affected and when they occurred. These rows still flow into the
    marts (whose relationships tests only warn), so publishing is never
    blocked by an unknown id; this mart is where they are surfaced.
    - requests.business_unit_id: the business unit the marts attribute the
      request to (its own, else the directory's); 'unassigned' is not unknown;
    - requests.use_case_id, workflow_events.use_case_id,
      survey_responses.use_case_id: against use_cases.csv;
    - kpi_observations.kpi_id: against kpis.csv;
    - people / survey_responses / enablement_events / kpi_observations
      .business_unit_id: against business_units.csv.
    first_seen_at / last_seen_at: the referencing rows' event time
    (occurred_at, submitted_at, period_start), for people the ingestion time.
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

workflow_events as (

    select * from {{ ref('int_workflow_events_deduplicated') }}

),

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

survey_responses as (

    select * from {{ ref('stg_landing__survey_responses') }}

),

enablement_events as (

    select * from {{ ref('stg_landing__enablement_events') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

kpis as (

    select * from {{ ref('stg_config__kpis') }}

),

references_unioned as (

    {#- requests come pre-counted by day (int_requests_aggregated_to_days), so
        no mart scans the request table #}
    select
        'requests' as entity,
        'business_unit_id' as column_name,
        request_days.business_unit_id as referenced_value,
        request_days.requests as rows_count,
        request_days.first_occurred_at as first_seen_at,
        request_days.last_occurred_at as last_seen_at
    from request_days
    where request_days.business_unit_id <> 'unassigned'

    union all

    select
        'requests' as entity,
        'use_case_id' as column_name,
        request_days.use_case_id as referenced_value,
        request_days.requests as rows_count,
        request_days.first_occurred_at as first_seen_at,
        request_days.last_occurred_at as last_seen_at
    from request_days
    where request_days.use_case_id <> 'unassigned'

    union all

    select
        'workflow_events' as entity,
        'use_case_id' as column_name,
        workflow_events.use_case_id as referenced_value,
        1 as rows_count,
        workflow_events.occurred_at as first_seen_at,
        workflow_events.occurred_at as last_seen_at
    from workflow_events

    union all

    select
        'survey_responses' as entity,
        'use_case_id' as column_name,
        survey_responses.use_case_id as referenced_value,
        1 as rows_count,
        survey_responses.submitted_at as first_seen_at,
        survey_responses.submitted_at as last_seen_at
    from survey_responses

    union all

    select
        'survey_responses' as entity,
        'business_unit_id' as column_name,
        survey_responses.business_unit_id as referenced_value,
        1 as rows_count,
        survey_responses.submitted_at as first_seen_at,
        survey_responses.submitted_at as last_seen_at
    from survey_responses

    union all

    select
        'kpi_observations' as entity,
        'kpi_id' as column_name,
        kpi_observations.kpi_id as referenced_value,
        1 as rows_count,
        cast(kpi_observations.period_start as {{ dbt.type_timestamp() }})
            as first_seen_at,
        cast(kpi_observations.period_start as {{ dbt.type_timestamp() }})
            as last_seen_at
    from kpi_observations

    union all

    select
        'kpi_observations' as entity,
        'business_unit_id' as column_name,
        kpi_observations.business_unit_id as referenced_value,
        1 as rows_count,
        cast(kpi_observations.period_start as {{ dbt.type_timestamp() }})
            as first_seen_at,
        cast(kpi_observations.period_start as {{ dbt.type_timestamp() }})
            as last_seen_at
    from kpi_observations

    union all

    select
        'people' as entity,
        'business_unit_id' as column_name,
        people.business_unit_id as referenced_value,
        1 as rows_count,
        people.ingested_at as first_seen_at,
        people.ingested_at as last_seen_at
    from people

    union all

    select
        'enablement_events' as entity,
        'business_unit_id' as column_name,
        enablement_events.business_unit_id as referenced_value,
        1 as rows_count,
        enablement_events.occurred_at as first_seen_at,
        enablement_events.occurred_at as last_seen_at
    from enablement_events

),

references_checked as (

    select
        references_unioned.entity,
        references_unioned.column_name,
        references_unioned.referenced_value,
        references_unioned.rows_count,
        references_unioned.first_seen_at,
        references_unioned.last_seen_at
    from references_unioned
    left join business_units
        on
            references_unioned.column_name = 'business_unit_id'
            and references_unioned.referenced_value
            = business_units.business_unit_id
    left join use_cases
        on
            references_unioned.column_name = 'use_case_id'
            and references_unioned.referenced_value = use_cases.use_case_id
    left join kpis
        on
            references_unioned.column_name = 'kpi_id'
            and references_unioned.referenced_value = kpis.kpi_id
    where
        references_unioned.referenced_value is not null
        and business_units.business_unit_id is null
        and use_cases.use_case_id is null
        and kpis.kpi_id is null

),

final as (

    select
        -- strings
        cast(references_checked.entity as {{ dbt.type_string() }}) as entity,
        cast(references_checked.column_name as {{ dbt.type_string() }})
            as column_name,
        cast(references_checked.referenced_value as {{ dbt.type_string() }})
            as unknown_value,
        cast(
            case references_checked.column_name
                when 'business_unit_id' then 'business_units'
                when 'use_case_id' then 'use_cases'
                when 'kpi_id' then 'kpis'
            end
            as {{ dbt.type_string() }}
        ) as configuration_file,
        -- numerics
        cast(sum(references_checked.rows_count) as {{ dbt.type_bigint() }}) as rows,
        -- timestamps
        cast(min(references_checked.first_seen_at) as {{ dbt.type_timestamp() }})
            as first_seen_at,
        cast(max(references_checked.last_seen_at) as {{ dbt.type_timestamp() }})
            as last_seen_at
    from references_checked
    group by 1, 2, 3, 4

)

select * from final
