{# One row per survey response, latest landed version per response_id. #}
with

survey_responses as (

    select * from {{ source('landing', 'survey_responses') }} as survey_responses
    where survey_responses._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key('survey_responses', ['response_id'], [
        'response_id', 'submitted_at', 'user_id', 'use_case_id',
        'business_unit_id', 'satisfaction', 'trust', 'minutes_saved_per_week',
        '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.response_id as {{ dbt.type_string() }}) as response_id,
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- numerics
        cast(deduplicated.satisfaction as {{ dbt.type_int() }})
            as satisfaction_score,
        cast(deduplicated.trust as {{ dbt.type_int() }}) as trust_score,
        cast(deduplicated.minutes_saved_per_week as {{ type_double() }})
            as reported_minutes_saved_per_week,
        -- dates
        cast(deduplicated.submitted_at as date) as submitted_date,
        {{ week_start('deduplicated.submitted_at') }} as week_start,
        -- timestamps
        cast(deduplicated.submitted_at as {{ dbt.type_timestamp() }})
            as submitted_at,
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
