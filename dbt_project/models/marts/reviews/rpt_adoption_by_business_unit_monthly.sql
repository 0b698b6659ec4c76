{#
    One row per month_start × reading scope (dim_scopes) × business unit the
    scope covers (its cells' units; the organisation: every configured unit,
    and any other unit people were active in, e.g. 'unassigned'), for every
    month with an active person: the adoption and enablement figures the
    monthly portfolio review shows by business unit, computed over the
    scope's cells only, as in rpt_risk_by_business_unit_weekly and the tiles.

    - A person's activity belongs to the cell of their use case's portfolio as
      known at the month's end (fct_use_case_periods; `unassigned` for usage
      no known use case claims, vendor activity included) and of their own
      business unit that day. So the organisation and a business unit's scope
      count every active person of the unit (fct_adoption_monthly's
      active_users), while a portfolio scope counts the people of each unit
      who used the portfolio's use cases: the reader of a portfolio review
      asks whether people adopt *its* use cases, and the units' rows then add
      up to the portfolio's tile (a person counts once per unit).
    - eligible_headcount: the unit's, as configured at the month's end;
      penetration_pct = active_users ÷ eligible_headcount × 100.
    - trained_active_users: of those people, the ones who completed training
      (any level) on or before the month's last day; champion_active_users:
      who had joined the champions by then (fct_enablement_coverage_monthly's
      rule); enablement_coverage_pct = trained ÷ active × 100.
    - Minimum group size (CONTRACTS.md §5.5): every people figure of the row
      (active users, penetration, trained, coverage, champions) is null and
      is_suppressed when its active people number 1 to min_group_size − 1, or
      when the scope whose cells are exactly this row's (the unit's scope for
      the organisation, the pair's for a portfolio) has its active-user tile
      suppressed in rpt_review_tiles (a complement there); and the complement:
      within one month × scope, whose total rpt_review_tiles shows, when
      exactly one row with active people is suppressed, so is the next
      smallest.
#}
with

user_days as (

    select * from {{ ref('int_active_user_days_unioned') }}

),

enablement_events as (

    select * from {{ ref('stg_landing__enablement_events') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

review_tiles as (

    select * from {{ ref('rpt_review_tiles') }}

),

business_unit_versions as (

    {{ config_versions('business_units') }}

),

use_case_months as (

    select
        use_case_periods.period_start as month_start,
        use_case_periods.use_case_id,
        use_case_periods.portfolio_id
    from use_case_periods
    where use_case_periods.period_grain = 'month'

),

month_ends as (

    select
        periods.period_start as month_start,
        periods.period_end as month_end_date
    from periods
    where periods.period_grain = 'month'

),

trainings as (

    select
        enablement_events.user_id,
        min(enablement_events.event_date) as first_trained_date
    from enablement_events
    where enablement_events.activity = 'training_completed'
    group by 1

),

champions as (

    select
        enablement_events.user_id,
        min(enablement_events.event_date) as joined_date
    from enablement_events
    where enablement_events.activity = 'champion_joined'
    group by 1

),

people_celled as (

    select
        user_days.month_start,
        coalesce(use_case_months.portfolio_id, 'unassigned') as portfolio_id,
        user_days.business_unit_id,
        user_days.user_id
    from user_days
    left join use_case_months
        on
            user_days.month_start = use_case_months.month_start
            and user_days.use_case_id = use_case_months.use_case_id
    group by 1, 2, 3, 4

),

people_enabled as (

    select
        people_celled.*,
        case
            when
                trainings.first_trained_date
                < {{ dbt.dateadd('month', 1, 'people_celled.month_start') }}
                then 1
            else 0
        end as is_trained,
        case
            when
                champions.joined_date < {{ dbt.dateadd('month', 1, 'people_celled.month_start') }}
                then 1
            else 0
        end as is_champion
    from people_celled
    left join trainings on people_celled.user_id = trainings.user_id
    left join champions on people_celled.user_id = champions.user_id

),

people_scoped as (

    select
        people_enabled.month_start,
        'organisation' as scope_id,
        people_enabled.business_unit_id,
        {{ count_distinct('people_enabled.user_id') }} as active_users,
        {{ count_distinct(
            'case when people_enabled.is_trained = 1 then people_enabled.user_id end'
        ) }} as trained_active_users,
        {{ count_distinct(
            'case when people_enabled.is_champion = 1 then people_enabled.user_id end'
        ) }} as champion_active_users
    from people_enabled
    group by 1, 2, 3
    union all
    select
        people_enabled.month_start,
        scope_cells.scope_id,
        people_enabled.business_unit_id,
        {{ count_distinct('people_enabled.user_id') }} as active_users,
        {{ count_distinct(
            'case when people_enabled.is_trained = 1 then people_enabled.user_id end'
        ) }} as trained_active_users,
        {{ count_distinct(
            'case when people_enabled.is_champion = 1 then people_enabled.user_id end'
        ) }} as champion_active_users
    from people_enabled
    inner join scope_cells
        on
            people_enabled.portfolio_id = scope_cells.portfolio_id
            and people_enabled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    group by 1, 2, 3

),

scope_business_units as (

    select
        scope_cells.scope_id,
        scope_cells.business_unit_id,
        count(*) as cells_count
    from scope_cells
    group by 1, 2

),

grid as (

    select
        months.month_start,
        scope_business_units.scope_id,
        scope_business_units.business_unit_id
    from (select distinct people_celled.month_start from people_celled) as months
    cross join scope_business_units
    union
    select
        people_scoped.month_start,
        people_scoped.scope_id,
        people_scoped.business_unit_id
    from people_scoped

),

twin_scopes as (

    {#- each scope's unit beside the scope whose cells are exactly the scope's
        cells of that unit: the scope whose tiles show this row's figures #}
    select
        scope_business_units.scope_id,
        scope_business_units.business_unit_id,
        twin_cells.scope_id as twin_scope_id
    from scope_business_units
    inner join scope_cells
        on
            scope_business_units.scope_id = scope_cells.scope_id
            and scope_business_units.business_unit_id = scope_cells.business_unit_id
    inner join scope_cells as twin_cells
        on
            scope_cells.portfolio_id = twin_cells.portfolio_id
            and scope_cells.business_unit_id = twin_cells.business_unit_id
    inner join scopes as twins
        on
            twin_cells.scope_id = twins.scope_id
            and scope_business_units.cells_count = twins.cells_count
    group by 1, 2, 3, scope_business_units.cells_count
    having count(*) = scope_business_units.cells_count

),

twins_hidden as (

    select
        twin_scopes.scope_id,
        twin_scopes.business_unit_id,
        review_tiles.period_start as month_start,
        max(case when review_tiles.is_suppressed then 1 else 0 end) as is_twin_hidden
    from twin_scopes
    inner join review_tiles
        on
            twin_scopes.twin_scope_id = review_tiles.scope_id
            and review_tiles.period_grain = 'month'
            and review_tiles.metric = 'active_users'
    group by 1, 2, 3

),

measured as (

    select
        grid.month_start,
        grid.scope_id,
        grid.business_unit_id,
        coalesce(people_scoped.active_users, 0) as active_users,
        coalesce(people_scoped.trained_active_users, 0) as trained_active_users,
        coalesce(people_scoped.champion_active_users, 0) as champion_active_users,
        (
            {{ is_small_group('coalesce(people_scoped.active_users, 0)') }}
            or coalesce(twins_hidden.is_twin_hidden, 0) = 1
        ) as is_small_people_group
    from grid
    left join people_scoped
        on
            grid.month_start = people_scoped.month_start
            and grid.scope_id = people_scoped.scope_id
            and grid.business_unit_id = people_scoped.business_unit_id
    left join twins_hidden
        on
            grid.month_start = twins_hidden.month_start
            and grid.scope_id = twins_hidden.scope_id
            and grid.business_unit_id = twins_hidden.business_unit_id

),

complemented as (

    {{ complement_hidden(
        'measured', ['month_start', 'scope_id'], 'active_users', ['business_unit_id'],
        'is_small_people_group', 'is_hidden',
    ) }}

),

headcounts as (

    select
        month_ends.month_start,
        business_unit_versions.business_unit_id,
        max(business_unit_versions.name) as business_unit_name,
        max(business_unit_versions.eligible_headcount) as eligible_headcount
    from month_ends
    inner join business_unit_versions
        on {{ config_in_force('business_unit_versions', 'month_ends.month_end_date') }}
    group by 1, 2

),

final as (

    select
        -- ids
        cast(complemented.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(complemented.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(
            coalesce(headcounts.business_unit_name, complemented.business_unit_id)
            as {{ dbt.type_string() }}
        ) as business_unit_name,
        -- numerics
        cast(headcounts.eligible_headcount as {{ dbt.type_bigint() }}) as eligible_headcount,
        {%- for measure in ['active_users', 'trained_active_users', 'champion_active_users'] %}
        cast(
            case when not complemented.is_hidden then complemented.{{ measure }} end
            as {{ dbt.type_bigint() }}
        ) as {{ measure }},
        {%- endfor %}
        cast(
            case
                when not complemented.is_hidden
                    then {{ pct('complemented.active_users', 'headcounts.eligible_headcount') }}
            end
            as {{ type_double() }}
        ) as penetration_pct,
        cast(
            case
                when not complemented.is_hidden
                    then {{ pct(
                        'complemented.trained_active_users', 'complemented.active_users'
                    ) }}
            end
            as {{ type_double() }}
        ) as enablement_coverage_pct,
        -- booleans
        cast(complemented.is_hidden as boolean) as is_suppressed,
        -- dates
        cast(complemented.month_start as date) as month_start
    from complemented
    left join headcounts
        on
            complemented.month_start = headcounts.month_start
            and complemented.business_unit_id = headcounts.business_unit_id

)

select * from final
