{#
    One row per week_start × reading scope (dim_scopes) × tool with licence
    seats held that week by the scope's people: seats, seats used (the holder
    used that tool that week), idle seats and utilisation (used ÷ held × 100),
    as fct_license_utilisation_weekly counts them, for any reader's scope.
    - A seat belongs to its holder's business unit (people row valid at the
      week's start, else `unassigned`; int_license_weeks_spined), not to a
      use case or portfolio. As for survey figures in
      rpt_risk_by_business_unit_weekly, a scope counts a unit's seats only
      when it covers the whole unit (every portfolio cell of it, `unassigned`
      included): the organisation (every seat), the business unit, an access
      scope granting the whole unit. A portfolio or portfolio × business unit
      scope has no rows: licences are not held per portfolio.
    - Minimum group size (CONTRACTS.md §5.5): a seat count counts people (its
      holders). licensed_seats and every figure of the row are null when the
      seats' distinct holders number 1 to min_group_size − 1; used_seats,
      idle_licenses and license_utilisation_pct are null when the holders of
      the used or of the idle seats do (either count gives the other away
      beside licensed_seats). is_suppressed: some figure of the row is null.
      Complement: a tool's seats in the business units add up to the
      organisation's (a holder is in one unit), so where one unit's row is
      suppressed (its total, or its used / idle split), so is the smallest
      other unit's. The tools' rows add up to no figure the review shows.
#}
with

license_weeks as (

    select * from {{ ref('int_license_weeks_spined') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_unit_cells as (

    select
        scope_cells.scope_id,
        scope_cells.business_unit_id,
        count(*) as cells_count
    from scope_cells
    group by 1, 2

),

whole_business_units as (

    {#- the scopes holding every cell of a unit (the unit's own scope's cells) #}
    select
        scope_unit_cells.scope_id,
        scope_unit_cells.business_unit_id
    from scope_unit_cells
    inner join scope_unit_cells as unit_cells
        on
            unit_cells.scope_id = {{ dbt.concat([
                "'business_unit:'", 'scope_unit_cells.business_unit_id',
            ]) }}
            and scope_unit_cells.business_unit_id = unit_cells.business_unit_id
    where
        scope_unit_cells.scope_id <> 'organisation'
        and scope_unit_cells.cells_count >= unit_cells.cells_count

),

seats_scoped as (

    select
        'organisation' as scope_id,
        license_weeks.*
    from license_weeks
    union all
    select
        whole_business_units.scope_id,
        license_weeks.*
    from license_weeks
    inner join whole_business_units
        on license_weeks.business_unit_id = whole_business_units.business_unit_id

),

seats_aggregated as (

    select
        seats_scoped.week_start,
        seats_scoped.scope_id,
        seats_scoped.tool,
        count(*) as licensed_seats,
        sum(case when seats_scoped.is_used then 1 else 0 end) as used_seats,
        sum(case when seats_scoped.is_used then 0 else 1 end) as idle_licenses,
        {{ count_distinct('seats_scoped.user_id') }} as holders,
        {{ count_distinct('case when seats_scoped.is_used then seats_scoped.user_id end') }}
            as used_holders,
        {{ count_distinct('case when not seats_scoped.is_used then seats_scoped.user_id end') }}
            as idle_holders
    from seats_scoped
    group by 1, 2, 3

),

seats_small as (

    select
        seats_aggregated.*,
        scopes.scope_kind = 'business_unit' as is_business_unit,
        {{ is_small_group('seats_aggregated.holders') }} as is_small_holders,
        (
            {{ is_small_group('seats_aggregated.holders') }}
            or {{ is_small_group('seats_aggregated.used_holders') }}
            or {{ is_small_group('seats_aggregated.idle_holders') }}
        ) as is_small_parts
    from seats_aggregated
    inner join scopes on seats_aggregated.scope_id = scopes.scope_id

),

seats_total_complemented as (

    {#- the units' seats of a tool add up to the organisation's (a holder is in one
        unit): when one unit's are suppressed, so are the smallest other unit's #}
    {{ complement_hidden(
        'seats_small', ['week_start', 'tool', 'is_business_unit'], 'holders', ['scope_id'],
        'is_small_holders', 'is_small_holders_across',
    ) }}

),

seats_split_complemented as (

    {{ complement_hidden(
        'seats_total_complemented', ['week_start', 'tool', 'is_business_unit'], 'holders',
        ['scope_id'], 'is_small_parts', 'is_small_parts_across',
    ) }}

),

seats_flagged as (

    select
        seats_split_complemented.*,
        case
            when seats_split_complemented.is_business_unit
                then seats_split_complemented.is_small_holders_across
            else seats_split_complemented.is_small_holders
        end as is_small_total,
        case
            when seats_split_complemented.is_business_unit
                then
                    seats_split_complemented.is_small_parts_across
                    or seats_split_complemented.is_small_holders_across
            else seats_split_complemented.is_small_parts
        end as is_small_split
    from seats_split_complemented

),

final as (

    select
        -- ids
        cast(seats_flagged.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(seats_flagged.tool as {{ dbt.type_string() }}) as tool,
        -- numerics
        cast(
            case when not seats_flagged.is_small_total then seats_flagged.licensed_seats end
            as {{ dbt.type_bigint() }}
        ) as licensed_seats,
        cast(
            case when not seats_flagged.is_small_split then seats_flagged.used_seats end
            as {{ dbt.type_bigint() }}
        ) as used_seats,
        cast(
            case when not seats_flagged.is_small_split then seats_flagged.idle_licenses end
            as {{ dbt.type_bigint() }}
        ) as idle_licenses,
        cast(
            case
                when not seats_flagged.is_small_split
                    then {{ pct('seats_flagged.used_seats', 'seats_flagged.licensed_seats') }}
            end
            as {{ type_double() }}
        ) as license_utilisation_pct,
        -- booleans
        cast(seats_flagged.is_small_split as boolean) as is_suppressed,
        -- dates
        cast(seats_flagged.week_start as date) as week_start
    from seats_flagged

)

select * from final
