{{ config(materialized='table') }}
{#
    One row per provider × source of the providers' aggregated reports: the
    last 28 days it reported (ending on its latest usage_date), summed from
    fct_usage_reconciliation, for the data health page.
    - Sums over the window's days; a measure the source does not report stays
      null (Anthropic's usage report counts no requests, cost reports no tokens).
    - Cost sums cover the days whose cost converted to USD; `unconverted_days`
      counts the others (add usd_per:<currency> to value_assumptions.csv).
    - difference_pct = 100 × (reported − per call) ÷ reported: the share of
      what the provider saw that no per-call log holds (negative: logged calls
      the provider does not report). Null when the source reports none.
#}
with

reconciliation as (

    select * from {{ ref('fct_usage_reconciliation') }}

),

latest_days as (

    select
        reconciliation.provider,
        reconciliation.source,
        max(reconciliation.usage_date) as window_end
    from reconciliation
    group by 1, 2

),

days_in_windows as (

    select
        reconciliation.*,
        latest_days.window_end,
        {{ dbt.dateadd('day', -27, 'latest_days.window_end') }} as window_start
    from reconciliation
    inner join latest_days
        on
            reconciliation.provider = latest_days.provider
            and reconciliation.source = latest_days.source
    where reconciliation.usage_date > {{ dbt.dateadd('day', -28, 'latest_days.window_end') }}

),

windows_aggregated as (

    select
        in_window.provider,
        in_window.source,
        cast(min(in_window.window_start) as date) as window_start,
        max(in_window.window_end) as window_end,
        count(*) as days_reported,
        cast(
            sum(case when in_window.is_cost_unconverted then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        )
            as unconverted_days,
        min(in_window.reported_currency) as min_currency,
        max(in_window.reported_currency) as max_currency,
        cast(sum(in_window.reported_requests) as {{ dbt.type_bigint() }}) as reported_requests,
        cast(sum(in_window.per_call_requests) as {{ dbt.type_bigint() }}) as per_call_requests,
        cast(sum(in_window.reported_input_tokens) as {{ dbt.type_bigint() }})
            as reported_input_tokens,
        cast(sum(in_window.per_call_input_tokens) as {{ dbt.type_bigint() }})
            as per_call_input_tokens,
        cast(sum(in_window.reported_output_tokens) as {{ dbt.type_bigint() }})
            as reported_output_tokens,
        cast(sum(in_window.per_call_output_tokens) as {{ dbt.type_bigint() }})
            as per_call_output_tokens,
        sum(in_window.reported_cost_usd) as reported_cost_usd,
        sum(case when in_window.reported_cost_usd is not null then in_window.per_call_cost_usd end)
            as per_call_cost_usd
    from days_in_windows as in_window
    group by 1, 2

),

final as (

    select
        -- strings
        windows.provider,
        windows.source,
        case
            when windows.min_currency = windows.max_currency then windows.min_currency
            when windows.min_currency is not null then 'mixed'
        end as reported_currency,
        -- numerics
        windows.days_reported,
        windows.unconverted_days,
        windows.reported_requests,
        windows.per_call_requests,
        windows.reported_requests - windows.per_call_requests as requests_difference,
        case
            when windows.reported_requests > 0
                then
                    100 * cast(windows.reported_requests - windows.per_call_requests as double)
                    / windows.reported_requests
        end as requests_difference_pct,
        windows.reported_input_tokens,
        windows.per_call_input_tokens,
        windows.reported_output_tokens,
        windows.per_call_output_tokens,
        windows.reported_input_tokens - windows.per_call_input_tokens
            as input_tokens_difference,
        windows.reported_output_tokens - windows.per_call_output_tokens
            as output_tokens_difference,
        windows.reported_cost_usd,
        windows.per_call_cost_usd,
        windows.reported_cost_usd - windows.per_call_cost_usd as cost_usd_difference,
        case
            when windows.reported_cost_usd > 0
                then
                    100 * (windows.reported_cost_usd - windows.per_call_cost_usd)
                    / windows.reported_cost_usd
        end as cost_usd_difference_pct,
        -- dates
        windows.window_start,
        windows.window_end
    from windows_aggregated as windows

)

select * from final
