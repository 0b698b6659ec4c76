{#
    One row per week_start × reading scope (dim_scopes) × lifecycle group
    (`new`, `returning`, `lapsed`), every week of the spine: how many people
    the scope gained, kept and lost that week, for any reader's scope.
    - A person is active in a scope in a week when they have a request or a
      vendor activity row in one of the scope's cells (CONTRACTS.md §5.3):
      the portfolio of the row's use case as known at the week's end
      (fct_use_case_periods; `unassigned` for usage no known use case claims)
      and the person's business unit, as the active users tile counts them
      (int_review_measures_scoped). The organisation covers everyone.
    - new: active in the scope this week and in no earlier week;
      returning: active this week and in an earlier week (new + returning =
      the scope's active users tile of the week); lapsed: active in the scope
      the previous week and not this week. Over the organisation these are
      fct_user_lifecycle_weekly's figures.
    - Minimum group size (CONTRACTS.md §5.5): users_count is null
      (is_suppressed) when it counts 1 to min_group_size − 1 people; new and
      returning also when the week's active users tile is suppressed in that
      scope (rpt_review_tiles, a complement included), since together they
      make it. Complements: new and returning add up to the active users
      tile, so when one of them is suppressed, so is the other (when
      non-empty); and the business units' groups add up to the
      organisation's (a person is in one unit), so when one unit's group is
      suppressed, so is the smallest other unit's — two rounds of each.
#}
with

user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

review_tiles as (

    select * from {{ ref('rpt_review_tiles') }}

),

user_weeks_celled as (

    select distinct
        user_weeks.week_start,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        user_weeks.business_unit_id,
        user_weeks.user_id
    from user_weeks
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and user_weeks.week_start = use_case_periods.period_start
            and user_weeks.use_case_id = use_case_periods.use_case_id

),

user_weeks_scoped as (

    select distinct
        'organisation' as scope_id,
        user_weeks_celled.user_id,
        user_weeks_celled.week_start
    from user_weeks_celled
    union
    select distinct
        scope_cells.scope_id,
        user_weeks_celled.user_id,
        user_weeks_celled.week_start
    from user_weeks_celled
    inner join scope_cells
        on
            user_weeks_celled.portfolio_id = scope_cells.portfolio_id
            and user_weeks_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

user_weeks_sequenced as (

    select
        user_weeks_scoped.scope_id,
        user_weeks_scoped.user_id,
        user_weeks_scoped.week_start,
        lag(user_weeks_scoped.week_start) over (
            partition by user_weeks_scoped.scope_id, user_weeks_scoped.user_id
            order by user_weeks_scoped.week_start
        ) as previous_active_week,
        lead(user_weeks_scoped.week_start) over (
            partition by user_weeks_scoped.scope_id, user_weeks_scoped.user_id
            order by user_weeks_scoped.week_start
        ) as next_active_week
    from user_weeks_scoped

),

activity_aggregated as (

    select
        user_weeks_sequenced.week_start,
        user_weeks_sequenced.scope_id,
        count(*) as active_users,
        sum(case when user_weeks_sequenced.previous_active_week is null then 1 else 0 end)
            as new_users
    from user_weeks_sequenced
    group by 1, 2

),

lapses_aggregated as (

    select
        cast({{ dbt.dateadd('day', 7, 'user_weeks_sequenced.week_start') }} as date)
            as week_start,
        user_weeks_sequenced.scope_id,
        count(*) as lapsed_users
    from user_weeks_sequenced
    where
        user_weeks_sequenced.next_active_week is null
        or user_weeks_sequenced.next_active_week
        > {{ dbt.dateadd('day', 7, 'user_weeks_sequenced.week_start') }}
    group by 1, 2

),

active_tiles as (

    select
        review_tiles.period_start as week_start,
        review_tiles.scope_id,
        review_tiles.is_suppressed
    from review_tiles
    where
        review_tiles.period_grain = 'week'
        and review_tiles.metric = 'active_users'

),

counted as (

    select
        weeks.week_start,
        scopes.scope_id,
        coalesce(activity_aggregated.active_users, 0) as active_users,
        coalesce(activity_aggregated.new_users, 0) as new_users,
        coalesce(lapses_aggregated.lapsed_users, 0) as lapsed_users,
        coalesce(active_tiles.is_suppressed, false) as is_active_tile_suppressed
    from weeks
    cross join scopes
    left join activity_aggregated
        on
            weeks.week_start = activity_aggregated.week_start
            and scopes.scope_id = activity_aggregated.scope_id
    left join lapses_aggregated
        on
            weeks.week_start = lapses_aggregated.week_start
            and scopes.scope_id = lapses_aggregated.scope_id
    left join active_tiles
        on
            weeks.week_start = active_tiles.week_start
            and scopes.scope_id = active_tiles.scope_id

),

groups_listed as (

    {#- the long shape the page charts; a family is the rows under one total #}
    select
        counted.week_start,
        counted.scope_id,
        'new' as lifecycle_group,
        1 as lifecycle_order,
        'active' as lifecycle_family,
        counted.new_users as users_count,
        counted.is_active_tile_suppressed as is_total_suppressed
    from counted
    union all
    select
        counted.week_start,
        counted.scope_id,
        'returning' as lifecycle_group,
        2 as lifecycle_order,
        'active' as lifecycle_family,
        counted.active_users - counted.new_users as users_count,
        counted.is_active_tile_suppressed as is_total_suppressed
    from counted
    union all
    select
        counted.week_start,
        counted.scope_id,
        'lapsed' as lifecycle_group,
        3 as lifecycle_order,
        'lapsed' as lifecycle_family,
        counted.lapsed_users as users_count,
        false as is_total_suppressed
    from counted

),

groups_flagged as (

    select
        groups_listed.*,
        scopes.scope_kind = 'business_unit' as is_business_unit,
        (
            {{ is_small_group('groups_listed.users_count') }}
            or (groups_listed.is_total_suppressed and groups_listed.users_count > 0)
        ) as is_hidden_0
    from groups_listed
    inner join scopes on groups_listed.scope_id = scopes.scope_id

),
{#- two rounds of: across the business units (whose people make the organisation's
    group: one unit's figure is the organisation's less the others'), then within the
    scope (new and returning make its active users) #}
{%- for round in [1, 2] %}

units_{{ round }} as (

    {{ complement_hidden(
        'groups_flagged' if round == 1 else 'scoped_' ~ (round - 1),
        ['week_start', 'lifecycle_group', 'is_business_unit'], 'users_count', ['scope_id'],
        'is_hidden_' ~ (2 * round - 2), 'is_hidden_' ~ (2 * round - 1),
    ) }}

),

units_kept_{{ round }} as (

    {#- only the business units' rows form a family across scopes #}
    select
        units_{{ round }}.*,
        case
            when units_{{ round }}.is_business_unit
                then units_{{ round }}.is_hidden_{{ 2 * round - 1 }}
            else units_{{ round }}.is_hidden_{{ 2 * round - 2 }}
        end as is_across_{{ round }}
    from units_{{ round }}

),

scoped_{{ round }} as (

    {{ complement_hidden(
        'units_kept_' ~ round, ['week_start', 'scope_id', 'lifecycle_family'], 'users_count',
        ['lifecycle_order'], 'is_across_' ~ round, 'is_hidden_' ~ (2 * round),
    ) }}

),
{%- endfor %}

groups_complemented as (

    select
        scoped_2.*,
        scoped_2.is_hidden_4 as is_hidden
    from scoped_2

),

final as (

    select
        -- ids
        cast(groups_complemented.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(groups_complemented.lifecycle_group as {{ dbt.type_string() }})
            as lifecycle_group,
        -- numerics
        cast(groups_complemented.lifecycle_order as {{ dbt.type_int() }}) as lifecycle_order,
        cast(
            case when not groups_complemented.is_hidden then groups_complemented.users_count end
            as {{ dbt.type_bigint() }}
        ) as users_count,
        -- booleans
        cast(groups_complemented.is_hidden as boolean) as is_suppressed,
        -- dates
        cast(groups_complemented.week_start as date) as week_start
    from groups_complemented

)

select * from final
