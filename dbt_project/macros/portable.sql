{#
    Small portable helpers. Models call these instead of engine-specific
    syntax so the same project builds on DuckDB and Spark.
#}

{# Monday of the ISO week of a timestamp or date, as a date. #}
{% macro week_start(expression) -%}
    {{ return(adapter.dispatch('week_start', 'cadence')(expression)) }}
{%- endmacro %}

{% macro default__week_start(expression) -%}
    {#- date_trunc('week') is Monday in DuckDB, Spark and Postgres. -#}
    cast({{ dbt.date_trunc('week', expression) }} as date)
{%- endmacro %}

{% macro period_start(grain, expression) -%}
    {%- if grain == 'week' -%}
        {{ cadence.week_start(expression) }}
    {%- else -%}
        cast({{ dbt.date_trunc(grain, expression) }} as date)
    {%- endif -%}
{%- endmacro %}

{# Continuous percentile with linear interpolation (as percentile_cont). #}
{% macro percentile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'cadence')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#
    Several continuous percentiles of one expression as a list (1-based:
    `list_element`), from one aggregate state. On DuckDB two separate
    percentile aggregates over 100M latencies held two copies of every value
    and ran out of a 6 GB memory limit; the list form took 5 s and 2.3 GB.
#}
{% macro percentiles_cont(expression, fractions) -%}
    {{ return(adapter.dispatch('percentiles_cont', 'cadence')(expression, fractions)) }}
{%- endmacro %}

{% macro default__percentiles_cont(expression, fractions) -%}
    percentile_cont(array[{{ fractions | join(', ') }}]) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentiles_cont(expression, fractions) -%}
    quantile_cont({{ expression }}, [{{ fractions | join(', ') }}])
{%- endmacro %}

{% macro spark__percentiles_cont(expression, fractions) -%}
    percentile({{ expression }}, array({{ fractions | join(', ') }}))
{%- endmacro %}

{# The element at 1-based `position` of a list (or array). #}
{% macro list_element(expression, position) -%}
    {{ return(adapter.dispatch('list_element', 'cadence')(expression, position)) }}
{%- endmacro %}

{% macro default__list_element(expression, position) -%}
    ({{ expression }})[{{ position }}]
{%- endmacro %}

{% macro spark__list_element(expression, position) -%}
    element_at({{ expression }}, {{ position }})
{%- endmacro %}

{% macro median(expression) -%}
    {{ cadence.percentile_cont(expression, 0.5) }}
{%- endmacro %}

{# Exact distinct count; an engine may swap in an approximation later. #}
{% macro count_distinct(expression) -%}
    {{ return(adapter.dispatch('count_distinct', 'cadence')(expression)) }}
{%- endmacro %}

{% macro default__count_distinct(expression) -%}
    count(distinct {{ expression }})
{%- endmacro %}

{# True when any row is true. #}
{% macro bool_or(expression) -%}
    {{ return(adapter.dispatch('bool_or', 'cadence')(expression)) }}
{%- endmacro %}

{% macro default__bool_or(expression) -%}
    max(case when {{ expression }} then 1 else 0 end) = 1
{%- endmacro %}

{#
    a ÷ b × 100 as a double; null when b is zero or null. On Spark `100.0` is
    a decimal literal, and decimal arithmetic keeps as few as 6 decimals
    (`spark.sql.decimalOperations.allowPrecisionLoss`): compute in doubles.
#}
{% macro pct(numerator, denominator) -%}
    {{ return(adapter.dispatch('pct', 'cadence')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__pct(numerator, denominator) -%}
    (100.0 * ({{ numerator }}) / nullif({{ denominator }}, 0))
{%- endmacro %}

{% macro spark__pct(numerator, denominator) -%}
    (cast(100 as double) * ({{ numerator }}) / nullif({{ denominator }}, 0))
{%- endmacro %}

{% macro safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as {{ type_double() }}) / nullif({{ denominator }}, 0))
{%- endmacro %}

{#
    Whole-and-fractional minutes between two timestamps (whole seconds: the
    second boundaries crossed, as DuckDB's date_diff and dbt-spark's datediff
    both count them). A double on Spark too, where `/ 60.0` would be a
    decimal of 6 decimals.
#}
{% macro minutes_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('minutes_between', 'cadence')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__minutes_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'second') }} / 60.0)
{%- endmacro %}

{% macro spark__minutes_between(start_timestamp, end_timestamp) -%}
    (cast({{ dbt.datediff(start_timestamp, end_timestamp, 'second') }} as double) / 60)
{%- endmacro %}

{# Ordinal of a data classification: public < internal < confidential < restricted. #}
{% macro classification_rank(expression) -%}
    case {{ expression }}
        when 'public' then 1
        when 'internal' then 2
        when 'confidential' then 3
        when 'restricted' then 4
    end
{%- endmacro %}

{#
    Keep the latest row per natural key, as ingestion/README.md prescribes:
    latest `_ingested_at`, then `_batch_id`, then `_source_row`.
    Renders a select over `relation` (a CTE name) without the helper column.
#}
{% macro latest_per_key(relation, key_columns, columns) -%}
    select
        {%- for column in columns %}
        ranked.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ relation }}.*,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by
                    _ingested_at desc,
                    _batch_id desc,
                    _source_row desc
            ) as latest_rank
        from {{ relation }}
    ) as ranked
    where ranked.latest_rank = 1
{%- endmacro %}

{#
    The same rule over staged versions (columns already renamed:
    `ingested_at`, `batch_id`, `source_row_number`). With
    `split_unique_keys`, keys landed once (nearly all of them) skip the
    window: only keys with several versions are ranked, which halves the
    memory and time of deduplicating 10M requests. The keys with several
    versions are found by grouping a 64-bit hash of the key (`key_hash`), not
    the key strings: a third of the memory at 100M requests. A hash shared by
    two keys only sends both through the window, which ranks by the real key,
    so the result is exact. Key columns must not be null.
#}
{% macro latest_version(relation, key_columns, columns, split_unique_keys=false) -%}
    {%- set relation_key_hash = cadence.key_hash(key_columns, relation) -%}
    {%- if split_unique_keys %}
    with versioned_keys as (
        select {{ relation_key_hash }} as key_hash
        from {{ relation }}
        group by {{ relation_key_hash }}
        having count(*) > 1
    )
    {%- endif %}
    select
        {%- for column in columns %}
        ranked.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ relation }}.*,
            row_number() over (
                partition by
                    {%- for key in key_columns %}
                    {{ relation }}.{{ key }}{{ "," if not loop.last }}
                    {%- endfor %}
                order by
                    {{ relation }}.ingested_at desc,
                    {{ relation }}.batch_id desc,
                    {{ relation }}.source_row_number desc
            ) as latest_rank
        from {{ relation }}
        {%- if split_unique_keys %}
        inner join versioned_keys
            on {{ relation_key_hash }} = versioned_keys.key_hash
        {%- endif %}
    ) as ranked
    where ranked.latest_rank = 1
    {%- if split_unique_keys %}
    union all
    select
        {%- for column in columns %}
        {{ relation }}.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    left join versioned_keys
        on {{ relation_key_hash }} = versioned_keys.key_hash
    where versioned_keys.key_hash is null
    {%- endif %}
{%- endmacro %}

{#
    A 64-bit hash of `columns` (of `relation`, when given), for grouping or
    joining on a wide natural key cheaply. Not unique: callers must treat
    equal hashes as candidates and compare the real columns.
#}
{% macro key_hash(columns, relation=none) -%}
    {%- set qualified = [] -%}
    {%- for column in columns -%}
        {%- do qualified.append((relation ~ '.' if relation else '') ~ column) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('key_hash', 'cadence')(qualified)) }}
{%- endmacro %}

{% macro default__key_hash(columns) -%}
    {{ dbt.hash(dbt.concat(columns)) }}
{%- endmacro %}

{% macro duckdb__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{#
    Marks an import CTE to be inlined where it is read, not materialised
    once: DuckDB materialises a CTE read twice, which for 10M requests holds
    every row in memory although each reader needs a few columns or a few
    days. Renders nothing on engines without the hint.
#}
{% macro inline_cte() -%}
    {{ return(adapter.dispatch('inline_cte', 'cadence')()) }}
{%- endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}

{#
    RAG status of a value against green/amber bands.
    higher_is_better: >= green is green, >= amber is amber, else red.
    lower_is_better: <= green is green, <= amber is amber, else red.
#}
{% macro rag_status(value, green, amber, direction) -%}
    case
        when {{ value }} is null then null
        when {{ direction }} = 'lower_is_better' then
            case
                when {{ value }} <= {{ green }} then 'green'
                when {{ value }} <= {{ amber }} then 'amber'
                else 'red'
            end
        else
            case
                when {{ value }} >= {{ green }} then 'green'
                when {{ value }} >= {{ amber }} then 'amber'
                else 'red'
            end
    end
{%- endmacro %}

{# 64-bit floating point (dbt.type_float() is 32-bit REAL on DuckDB). #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'cadence')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}

{#
    RAG status of `value` against the bands of `metric` in the one-row
    `int_thresholds_pivoted` (joined into the query as `relation`).
#}
{% macro rag(value, metric, relation='thresholds') -%}
    {{ rag_status(
        value,
        relation ~ '.' ~ metric ~ '_green',
        relation ~ '.' ~ metric ~ '_amber',
        relation ~ '.' ~ metric ~ '_direction',
    ) }}
{%- endmacro %}

{# A number rounded for display inside generated text (reasons, gaps). #}
{% macro number_text(expression, digits=1) -%}
    cast(round({{ expression }}, {{ digits }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#
    Fiscal calendar (CONTRACTS.md §5.2): `start_month` is the month (1-12,
    an SQL expression: `fiscal_year_start_month`) the fiscal year starts in.
    A fiscal year is named after the calendar year in which it ends; its
    quarters start in months start_month, +3, +6, +9.
#}
{% macro fiscal_quarter_start(expression, start_month) -%}
    cast({{ dbt.dateadd(
        'month',
        '-1 * ((extract(month from ' ~ expression ~ ') - ' ~ start_month ~ ' + 12) % 3)',
        'cast(' ~ dbt.date_trunc('month', expression) ~ ' as date)',
    ) }} as date)
{%- endmacro %}

{# The fiscal year (the calendar year it ends in) of a date. #}
{% macro fiscal_year(expression, start_month) -%}
    cast(
        extract(year from {{ expression }})
        + case
            when {{ start_month }} > 1 and extract(month from {{ expression }}) >= {{ start_month }}
                then 1
            else 0
        end
        as {{ dbt.type_int() }}
    )
{%- endmacro %}

{# The fiscal quarter (1-4) of a date. #}
{% macro fiscal_quarter(expression, start_month) -%}
    cast(
        floor(((extract(month from {{ expression }}) - {{ start_month }} + 12) % 12) / 3) + 1
        as {{ dbt.type_int() }}
    )
{%- endmacro %}

{# A number as text with exactly `digits` decimals (12.50), for generated sentences. #}
{% macro fixed_text(expression, digits=2) -%}
    {{ return(adapter.dispatch('fixed_text', 'cadence')(expression, digits)) }}
{%- endmacro %}

{% macro default__fixed_text(expression, digits) -%}
    printf('%.{{ digits }}f', {{ expression }})
{%- endmacro %}

{% macro spark__fixed_text(expression, digits) -%}
    format_string('%.{{ digits }}f', {{ expression }})
{%- endmacro %}

{#- calendar-month boundaries crossed from one date to a later one (DuckDB's
    date_diff('month'), on every engine): 2026-07-15 to 2026-10-01 is 3 #}
{% macro months_crossed(start_date, end_date) -%}
    ((extract(year from {{ end_date }}) * 12 + extract(month from {{ end_date }}))
    - (extract(year from {{ start_date }}) * 12 + extract(month from {{ start_date }})))
{%- endmacro %}

{#- a double rounded half up to `digits` decimals by the same IEEE steps on every engine:
    Spark's round() rounds the binary value's exact decimal expansion (2099.3895 is
    2099.38949999... there: 2099.389) where DuckDB's scales first (2099.39) #}
{% macro round_half_up(expression, digits) -%}
    (floor(({{ expression }}) * {{ 10 ** digits }} + 0.5) / {{ 10 ** digits }})
{%- endmacro %}

{#
    The columns (lower case) the landed files of a source hold, read from the
    files themselves: a column a later release added (CONTRACTS.md §5:
    optional) is absent from a home whose files all predate it. Empty at
    parse time.
#}
{% macro landed_columns(relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set probe = run_query('select * from ' ~ relation ~ ' limit 0') -%}
    {{ return(probe.column_names | map('lower') | list) }}
{%- endmacro %}

{# `relation.column` cast to `type`, or a typed null when the landed files lack the column. #}
{% macro optional_column(relation, column, type, columns) -%}
    {%- if column in columns -%}
        cast({{ relation }}.{{ column }} as {{ type }})
    {%- else -%}
        cast(null as {{ type }})
    {%- endif -%}
{%- endmacro %}
