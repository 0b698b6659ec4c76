{#
    One row per closed period: period_grain × period_start, with when and how
    it closed (cadence/period_close.py).
    - recorded: a close whose figures are in the ledger (the earliest, when a
      later build recorded more rows of the same period, e.g. a new scope's);
    - asked: the running build was asked to close it (`cadence close`);
    - automatic: a month or quarter whose `closes_on` (calendar.csv
      `close_after_days` after its end) is on or before the build date.
    A period asked or due without recorded figures closes with this build:
    its figures are the ones computed now, recorded once the build passes.
#}
with

closes as (

    select * from {{ ref('stg_ledger__period_closes') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

recorded as (

    select
        closes.period_grain,
        closes.period_start,
        min(closes.closed_at) as closed_at,
        min(closes.close_id) as close_id,
        min(closes.close_kind) as close_kind
    from closes
    where closes.is_marker and not closes.is_request
    group by 1, 2

),

asked as (

    select
        closes.period_grain,
        closes.period_start,
        min(closes.closed_at) as closed_at
    from closes
    where closes.is_marker and closes.is_request
    group by 1, 2

),

due as (

    select
        periods.period_grain,
        periods.period_start
    from periods
    where
        periods.closes_on <= periods.build_date
        and not periods.is_period_to_date

),

candidates as (

    select
        recorded.period_grain,
        recorded.period_start
    from recorded
    union
    select
        asked.period_grain,
        asked.period_start
    from asked
    union
    select
        due.period_grain,
        due.period_start
    from due

),

final as (

    select
        -- ids
        recorded.close_id,
        -- strings
        candidates.period_grain,
        coalesce(
            recorded.close_kind,
            case when asked.period_start is not null then 'manual' else 'automatic' end
        ) as close_kind,
        -- booleans
        recorded.period_start is not null as is_recorded,
        -- dates
        candidates.period_start,
        periods.period_end,
        -- timestamps
        coalesce(
            recorded.closed_at,
            asked.closed_at,
            cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
        ) as closed_at
    from candidates
    inner join periods
        on
            candidates.period_grain = periods.period_grain
            and candidates.period_start = periods.period_start
    left join recorded
        on
            candidates.period_grain = recorded.period_grain
            and candidates.period_start = recorded.period_start
    left join asked
        on
            candidates.period_grain = asked.period_grain
            and candidates.period_start = asked.period_start

)

select * from final
