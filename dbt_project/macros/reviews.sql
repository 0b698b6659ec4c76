{#
    Helpers of int_review_measures_scoped (the review measures per window and
    scope, CONTRACTS.md §5.3–§5.4).
#}

{#- each day's row once per grain, keyed by the period holding the day #}
{% macro review_rows_by_grain(relation, day) %}
    {%- for grain in ['week', 'month', 'quarter'] %}
    select
        '{{ grain }}' as day_period_grain,
        {%- if grain == 'week' %}
        {{ week_start(day) }} as day_period_start,
        {%- elif grain == 'month' %}
        {{ period_start('month', day) }} as day_period_start,
        {%- else %}
        {{ fiscal_quarter_start(day, 'fiscal.fiscal_year_start_month') }} as day_period_start,
        {%- endif %}
        {{ relation }}.*
    from {{ relation }}
    cross join fiscal
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- a day counts in its own period's window, and in the like-for-like window
    of the next period when that one is to date #}
{% macro review_rows_windowed(relation) %}
    select
        windows.period_grain,
        windows.period_start,
        windows.window_kind,
        windows.mapping_period_start,
        {{ relation }}.*
    from {{ relation }}
    inner join windows
        on
            {{ relation }}.day_period_grain = windows.period_grain
            and (
                (
                    windows.window_kind = 'period'
                    and {{ relation }}.day_period_start = windows.period_start
                )
                or (
                    windows.window_kind = 'previous_to_date'
                    and {{ relation }}.day_period_start = windows.mapping_period_start
                )
            )
            and {{ relation }}.activity_date <= windows.window_end
{%- endmacro %}

{#- the organisation (every row) and every other scope (its cells), by window and
    scope and by the optional further `keys` of `relation` (e.g. business_unit_id) #}
{% macro review_rows_scoped(relation, measures, people=false, keys=[]) %}
    select
        {{ relation }}.period_grain,
        {{ relation }}.period_start,
        {{ relation }}.window_kind,
        'organisation' as scope_id,
        {%- for key in keys %}
        {{ relation }}.{{ key }},
        {%- endfor %}
        {%- for measure in measures %}
        {%- if people %}
        {{ count_distinct(relation ~ '.user_id') }} as active_users,
        {{ count_distinct(
            'case when ' ~ relation ~ '.has_request = 1 then ' ~ relation ~ '.user_id end'
        ) }} as requesting_users
        {%- else %}
        sum({{ relation }}.{{ measure }}) as {{ measure }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ relation }}
    group by {{ range(1, 5 + keys | length) | join(', ') }}
    union all
    select
        {{ relation }}.period_grain,
        {{ relation }}.period_start,
        {{ relation }}.window_kind,
        scope_cells.scope_id,
        {%- for key in keys %}
        {{ relation }}.{{ key }},
        {%- endfor %}
        {%- for measure in measures %}
        {%- if people %}
        {{ count_distinct(relation ~ '.user_id') }} as active_users,
        {{ count_distinct(
            'case when ' ~ relation ~ '.has_request = 1 then ' ~ relation ~ '.user_id end'
        ) }} as requesting_users
        {%- else %}
        sum({{ relation }}.{{ measure }}) as {{ measure }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ relation }}
    inner join scope_cells
        on
            {{ relation }}.portfolio_id = scope_cells.portfolio_id
            and {{ relation }}.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    group by {{ range(1, 5 + keys | length) | join(', ') }}
{%- endmacro %}
