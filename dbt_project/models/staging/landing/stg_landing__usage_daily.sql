{#
    One row per usage_date × provider × model × source × business unit from
    providers' aggregated usage and cost reports (CONTRACTS.md §5.1), latest
    landed version, committed batches only. A null model or business unit is
    its own key value ('all'), so reports that are not grouped by them dedupe
    too. The cost stays in its source currency here (`source_cost`,
    `source_currency`, USD when the file named none); int_usage_daily_converted
    converts it.
#}
with

usage_daily as (

    select
        usage_daily.*,
        coalesce(usage_daily.model, '__all__') as model_key,
        coalesce(usage_daily.business_unit_id, '__all__') as business_unit_key
    from {{ source('landing', 'usage_daily') }} as usage_daily
    where usage_daily._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key(
        'usage_daily',
        ['usage_date', 'provider', 'model_key', 'source', 'business_unit_key'],
        [
            'usage_date', 'provider', 'model', 'source', 'business_unit_id',
            'input_tokens', 'output_tokens', 'requests', 'cost', 'currency',
            '_batch_id', '_ingested_at',
        ]
    ) }}

),

final as (

    select
        -- ids
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.provider as {{ dbt.type_string() }}) as provider,
        cast(deduplicated.model as {{ dbt.type_string() }}) as model,
        {# `source` is the name CONTRACTS.md §5.1 gives the column #}
        cast(deduplicated.source as {{ dbt.type_string() }}) as source,  -- noqa: RF04
        cast(
            coalesce(deduplicated.currency, 'USD') as {{ dbt.type_string() }}
        ) as source_currency,
        -- numerics
        cast(deduplicated.input_tokens as {{ dbt.type_bigint() }})
            as input_tokens,
        cast(deduplicated.output_tokens as {{ dbt.type_bigint() }})
            as output_tokens,
        cast(deduplicated.requests as {{ dbt.type_bigint() }}) as requests,
        cast(deduplicated.cost as {{ type_double() }}) as source_cost,
        -- dates
        cast(deduplicated.usage_date as date) as usage_date,
        -- timestamps
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
