{#
    A review table of a closed period keeps the rows recorded at its close
    (cadence/period_close.py): the ledger's `period_close_rows` hold them
    cell by cell, as text, and this reads them back typed as the model's
    contract declares its columns (the yml: declared once).

    Call it last in a review model whose rows are keyed by period_grain ×
    period_start × scope_id × `keys`, after a CTE `computed` holding the rows
    as computed now, with the contract's columns but the three it adds:
    - is_closed: the row's period is closed (int_period_closes_listed);
    - is_close_recorded: the row is the one recorded at the close. A closed
      period × scope this model recorded nothing for (closing in this build,
      or a scope that did not exist at the close) shows its rows as computed
      now, recorded when the build passes;
    - is_restated: a recorded row whose values now differ (beyond 1e-9
      relative for a double; a null on one side only differs) or that is gone
      now. Rows that appeared since the close are not shown: the closed
      period keeps its rows. A column the model gained since the close (no
      cell recorded for it) is no restatement: a recorded row shows its value
      as computed now.
    It renders the CTEs from `closes` to `final`.
#}
{% macro closed_review_rows(computed, keys) -%}
    {%- set flags = ['is_closed', 'is_close_recorded', 'is_restated'] %}
    {%- set columns = [] %}
    {%- for column in model.columns.values() if column.name not in flags %}
        {%- do columns.append(column) %}
    {%- endfor %}
    {%- set row_keys = ['period_grain', 'period_start', 'scope_id'] + keys %}
closes as (

    select * from {{ ref('int_period_closes_listed') }}

),

close_cells as (

    select * from {{ ref('stg_ledger__period_close_rows') }}

),

model_cells as (

    select close_cells.* from close_cells
    where close_cells.model_name = '{{ this.identifier }}'

),

{%- if not columns %}
{#- a unit test renders the model without its yml columns (dbt's `model` is the
    test then): the rows as computed now, with the closes' flags #}

final as (

    select
        {{ computed }}.*,
        closes.period_start is not null as is_closed,
        false as is_close_recorded,
        false as is_restated
    from {{ computed }}
    left join closes
        on
            {{ computed }}.period_grain = closes.period_grain
            and {{ computed }}.period_start = closes.period_start

)
{%- else %}

first_closes as (

    {#- the close that recorded each period × scope first #}
    select
        model_cells.period_grain,
        model_cells.period_start,
        model_cells.scope_id,
        min(model_cells.close_id) as close_id
    from model_cells
    group by 1, 2, 3

),

recorded as (

    select
        {%- for column in columns %}
        {{ dbt.safe_cast(
            "max(case when model_cells.column_name = '" ~ column.name
            ~ "' then model_cells.cell_value end)",
            column.data_type,
        ) }} as {{ column.name }},
        max(case when model_cells.column_name = '{{ column.name }}' then 1 else 0 end) = 1
            as has_recorded__{{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
    from model_cells
    inner join first_closes
        on
            model_cells.period_grain = first_closes.period_grain
            and model_cells.period_start = first_closes.period_start
            and model_cells.scope_id = first_closes.scope_id
            and model_cells.close_id = first_closes.close_id
    group by
        model_cells.period_grain,
        model_cells.period_start,
        model_cells.scope_id,
        model_cells.source_row

),

recorded_compared as (

    select
        recorded.*,
        {%- for column in columns %}
        now_rows.{{ column.name }} as now__{{ column.name }},
        {%- endfor %}
        coalesce(
            now_rows.period_grain is null
            {%- for column in columns %}
            {%- set left = 'recorded.' ~ column.name %}
            {%- set right = 'now_rows.' ~ column.name %}
            or not (
                not recorded.has_recorded__{{ column.name }}
                or ({{ left }} is null and {{ right }} is null)
                {%- if column.data_type in ('double', 'float') %}
                or abs({{ left }} - {{ right }}) <= 1e-9 * case
                    when abs({{ left }}) > 1 then abs({{ left }}) else 1
                end
                {%- else %}
                or {{ left }} = {{ right }}
                {%- endif %}
            )
            {%- endfor %},
            true
        ) as is_restated
    from recorded
    left join {{ computed }} as now_rows
        on
            {%- for key in row_keys %}
            coalesce(
                {{ dbt.cast('recorded.' ~ key, dbt.type_string()) }}, '(none)'
            ) = coalesce({{ dbt.cast('now_rows.' ~ key, dbt.type_string()) }}, '(none)')
            {{- " and" if not loop.last }}
            {%- endfor %}

),

final as (

    select
        {%- for column in columns %}
        case
            when recorded_compared.has_recorded__{{ column.name }}
                then recorded_compared.{{ column.name }}
            else recorded_compared.now__{{ column.name }}
        end as {{ column.name }},
        {%- endfor %}
        true as is_closed,
        true as is_close_recorded,
        recorded_compared.is_restated
    from recorded_compared
    union all
    select
        {%- for column in columns %}
        {{ computed }}.{{ column.name }},
        {%- endfor %}
        closes.period_start is not null as is_closed,
        false as is_close_recorded,
        false as is_restated
    from {{ computed }}
    left join closes
        on
            {{ computed }}.period_grain = closes.period_grain
            and {{ computed }}.period_start = closes.period_start
    left join first_closes
        on
            {{ computed }}.period_grain = first_closes.period_grain
            and {{ computed }}.period_start = first_closes.period_start
            and {{ computed }}.scope_id = first_closes.scope_id
    where first_closes.close_id is null

)
{%- endif %}
{%- endmacro %}
