{{ config(materialized='table') }}  {# twelve chained passes: computed once, read by the tiles #}
{#
    One row per review window × reading scope × guard: whether the figures a
    guard protects are suppressed there (CONTRACTS.md §5.5).
    - guard `people`: active users and penetration, drawn from the scope's
      active people (active_users);
    - guard `trust`: policy adherence and shadow AI share, drawn from its
      requesting people (requesting_users).
    A scope is hidden when its people number 1 to min_group_size − 1. A
    complement is hidden too: where exactly one scope under a parent (the
    pairs of a portfolio, then of a business unit, alternately for six rounds,
    then the portfolios and the business units of the organisation) is hidden,
    so is the smallest other non-empty one — or, when it has no other
    non-empty one, the parent (whose figure then equals the hidden one's).
    Six rounds because a pair hidden in a business unit's family can leave
    another portfolio's family with one hidden member, and so on; each round
    can only add hidden rows, never remove one.
#}

with

measures as (

    select * from {{ ref('int_review_measures_scoped') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

family_members as (

    {#- the parents a complement is taken under, in the order they are checked:
        each family's members, and its parent scope (whose id is the family's) #}
    select
        {{ dbt.concat(["'portfolio:'", 'scope_cells.portfolio_id']) }} as family_id,
        1 as family_pass,
        scope_cells.scope_id,
        false as is_parent
    from scope_cells
    inner join scopes on scope_cells.scope_id = scopes.scope_id
    where scopes.scope_kind = 'portfolio_business_unit'
    union all
    select
        {{ dbt.concat(["'business_unit:'", 'scope_cells.business_unit_id']) }} as family_id,
        2 as family_pass,
        scope_cells.scope_id,
        false as is_parent
    from scope_cells
    inner join scopes on scope_cells.scope_id = scopes.scope_id
    where scopes.scope_kind = 'portfolio_business_unit'
    union all
    select
        scopes.scope_id as family_id,
        case when scopes.scope_kind = 'portfolio' then 1 else 2 end as family_pass,
        scopes.scope_id,
        true as is_parent
    from scopes
    where scopes.scope_kind in ('portfolio', 'business_unit')
    union all
    select
        {{ dbt.concat(["'organisation:'", 'scopes.scope_kind']) }} as family_id,
        3 as family_pass,
        scopes.scope_id,
        false as is_parent
    from scopes
    where scopes.scope_kind in ('portfolio', 'business_unit')

),

hidden_0 as (

    {#- both guards in one column, so each pass below is written (and, on
        Spark, planned) once for the two #}
    select
        measures.period_grain,
        measures.period_start,
        measures.window_kind,
        measures.scope_id,
        'people' as guard,
        measures.active_users as people,
        {{ is_small_group('measures.active_users') }} as is_hidden
    from measures
    union all
    select
        measures.period_grain,
        measures.period_start,
        measures.window_kind,
        measures.scope_id,
        'trust' as guard,
        measures.requesting_users as people,
        {{ is_small_group('measures.requesting_users') }} as is_hidden
    from measures

),
{#- the pairs of each portfolio, then of each business unit, alternately (six
    rounds, ending on the portfolios), then the organisation's portfolios and
    business units #}
{%- set family_passes = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 3] %}
{%- for family_pass in family_passes %}
{%- set pass = loop.index %}

ranked_{{ pass }} as (

    {#- every row once (a scope is in at most one family per pass; the parent is
        in its own family, is_parent), with its family's counts over the members
        with people, and its rank among them: hidden first, then the smallest.
        One reference to the previous pass keeps Spark's plan linear. #}
    select
        hidden.period_grain,
        hidden.period_start,
        hidden.window_kind,
        hidden.scope_id,
        hidden.guard,
        hidden.people,
        hidden.is_hidden,
        coalesce(family_members.is_parent, false) as is_parent,
        family_members.family_id is not null
        and not family_members.is_parent
        and hidden.people > 0 as is_member,
        sum(
            case
                when not family_members.is_parent and hidden.people > 0 and hidden.is_hidden
                    then 1
                else 0
            end
        ) over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind, hidden.guard,
                family_members.family_id
        ) as hidden_members,
        sum(
            case
                when not family_members.is_parent and hidden.people > 0 and not hidden.is_hidden
                    then 1
                else 0
            end
        ) over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind, hidden.guard,
                family_members.family_id
        ) as shown_members,
        row_number() over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind, hidden.guard,
                family_members.family_id
            order by
                case
                    when not family_members.is_parent and hidden.people > 0 then 0 else 1
                end,
                case when hidden.is_hidden then 0 else 1 end,
                hidden.people,
                hidden.scope_id
        ) as hiding_rank
    from hidden_{{ pass - 1 }} as hidden
    left join family_members
        on
            hidden.scope_id = family_members.scope_id
            and family_members.family_pass = {{ family_pass }}

),

hidden_{{ pass }} as (

    {#- a family with exactly one hidden member hides its smallest shown member too
        (the complement); with no member shown, the parent equals the hidden one
        and is hidden instead (not for the organisation's families) #}
    select
        ranked.period_grain,
        ranked.period_start,
        ranked.window_kind,
        ranked.scope_id,
        ranked.guard,
        ranked.people,
        ranked.is_hidden
        or coalesce(
            ranked.is_member and ranked.hidden_members = 1 and ranked.hiding_rank = 2,
            false
        )
        {%- if family_pass != 3 %}
        or coalesce(
            ranked.is_parent and ranked.hidden_members = 1 and ranked.shown_members = 0,
            false
        )
        {%- endif %} as is_hidden
    from ranked_{{ pass }} as ranked

),
{%- endfor %}

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(window_kind as {{ dbt.type_string() }}) as window_kind,
        cast(scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(guard as {{ dbt.type_string() }}) as guard,
        cast(people as {{ dbt.type_bigint() }}) as people,
        cast(is_hidden as boolean) as is_hidden,
        cast(period_start as date) as period_start
    from hidden_{{ family_passes | length }}

)

select * from final
