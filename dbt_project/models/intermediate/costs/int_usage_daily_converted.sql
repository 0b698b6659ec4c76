{{ config(materialized='table') }}  {# read by fct_usage_reconciliation and its tests; small #}
{#
    One row per stg_landing__usage_daily row, its cost converted to USD
    (CONTRACTS.md §5.1): `cost_usd` = `source_cost` × the rate
    `usd_per:<currency>` of value_assumptions.csv as known on the usage date
    (the configuration version in force then); a USD amount is itself. A
    currency with no rate leaves `cost_usd` null, never zero, and sets
    `is_cost_unconverted` (tested, and shown by fct_usage_reconciliation).
#}
with

usage_daily as (

    select * from {{ ref('stg_landing__usage_daily') }}

),

assumption_versions as (

    {{ config_versions('value_assumptions') }}

),

currency_rates as (

    select
        assumption_versions.config_valid_from_date,
        assumption_versions.config_valid_until_date,
        {#- the currency named after `usd_per:` (8 characters) #}
        upper(trim(substring(trim(assumption_versions.assumption), 9))) as currency,
        max(assumption_versions.value) as usd_per_unit
    from assumption_versions
    where trim(assumption_versions.assumption) like 'usd_per:%'
    group by 1, 2, 3

),

final as (

    select
        -- ids
        usage_daily.business_unit_id,
        usage_daily.batch_id,
        -- strings
        usage_daily.provider,
        usage_daily.model,
        usage_daily.source,
        usage_daily.source_currency,
        -- numerics
        usage_daily.input_tokens,
        usage_daily.output_tokens,
        usage_daily.requests,
        usage_daily.source_cost,
        case
            when usage_daily.source_currency = 'USD' then usage_daily.source_cost
            else usage_daily.source_cost * currency_rates.usd_per_unit
        end as cost_usd,
        -- booleans
        coalesce(
            usage_daily.source_cost is not null
            and usage_daily.source_currency <> 'USD'
            and currency_rates.usd_per_unit is null,
            false
        ) as is_cost_unconverted,
        -- dates
        usage_daily.usage_date,
        -- timestamps
        usage_daily.ingested_at
    from usage_daily
    left join currency_rates
        on
            usage_daily.source_currency = currency_rates.currency
            and {{ config_in_force('currency_rates', 'usage_daily.usage_date') }}

)

select * from final
