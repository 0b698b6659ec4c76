{#
    A model's row-level checks in one test node, read in one scan: every
    column in `not_null` has no null; every column of `accepted_values`
    holds only its listed values (nulls pass; strings are quoted, numbers and
    booleans are not); every column of `accepted_range` lies within
    {min_value, max_value} (at least one; bounds included unless `inclusive:
    false`; nulls pass);
    every `expressions` entry is true on every row (an entry is the SQL
    text, or {expression, where} to check only the rows matching `where`;
    null is a failure).

    One node per model instead of one per column and rule: a build's test
    nodes cost dbt ~20 ms of its own Python each, whatever their data.
    The test returns one row per broken rule: column_name, rule and
    failing_rows; its failure count (`fail_calc`) is the sum of failing rows,
    so a failed build names every broken column and rule with its count
    (cadence build prints them).
#}
{% test column_checks(model, not_null=[], accepted_values={}, accepted_range={}, expressions=[]) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}

{%- set rules = [] %}
{%- for column in not_null %}
    {%- do rules.append({
        'column': column, 'rule': 'not_null', 'failing': column ~ ' is null'
    }) %}
{%- endfor %}
{%- set spark = target is defined and target.type == 'spark' %}
{%- for column, values in accepted_values.items() %}
    {%- set literals = [] %}
    {%- for value in values %}
        {%- if value is none %}
            {{- exceptions.raise_compiler_error(
                'column_checks: accepted_values of ' ~ column ~ ' lists null (nulls pass; '
                ~ 'not_null forbids them)') }}
        {%- elif value is string and spark %}
            {#- Spark reads '' inside a literal as two literals: escape with a backslash #}
            {%- do literals.append(
                "'" ~ value | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") %}
        {%- elif value is string %}
            {%- do literals.append("'" ~ value | replace("'", "''") ~ "'") %}
        {%- elif value is sameas true or value is sameas false %}
            {%- do literals.append(value | string | lower) %}
        {%- else %}
            {%- do literals.append(value | string) %}
        {%- endif %}
    {%- endfor %}
    {%- do rules.append({
        'column': column,
        'rule': 'accepted_values ' ~ literals | join(', '),
        'failing': column ~ ' is not null and ' ~ column ~ ' not in (' ~ literals | join(', ') ~ ')'
    }) %}
{%- endfor %}
{%- for column, bounds in accepted_range.items() %}
    {%- set outside = [] %}
    {%- set inclusive = bounds.get('inclusive', true) %}
    {%- if bounds.get('min_value') is not none %}
        {%- do outside.append(column ~ (' < ' if inclusive else ' <= ') ~ bounds.min_value) %}
    {%- endif %}
    {%- if bounds.get('max_value') is not none %}
        {%- do outside.append(column ~ (' > ' if inclusive else ' >= ') ~ bounds.max_value) %}
    {%- endif %}
    {%- if not outside %}
        {{- exceptions.raise_compiler_error(
            'column_checks: accepted_range of ' ~ column ~ ' has neither min_value nor max_value') }}
    {%- endif %}
    {%- do rules.append({
        'column': column,
        'rule': 'accepted_range ' ~ ('[' if inclusive else '(') ~ bounds.get('min_value', '') ~ ', '
            ~ bounds.get('max_value', '') ~ (']' if inclusive else ')'),
        'failing': column ~ ' is not null and (' ~ outside | join(' or ') ~ ')'
    }) %}
{%- endfor %}
{%- for entry in expressions %}
    {%- set expression = (entry if entry is string else entry.expression) | trim %}
    {%- set failing = 'not coalesce(' ~ expression ~ ', false)' %}
    {%- set rule = 'expression ' ~ expression %}
    {%- if entry is mapping and entry.where %}
        {%- set failing = '(' ~ entry.where ~ ') and ' ~ failing %}
        {%- set rule = rule ~ ' where ' ~ entry.where %}
    {%- endif %}
    {%- do rules.append({'column': '(row)', 'rule': rule, 'failing': failing}) %}
{%- endfor %}
{%- if not rules %}
    {{- exceptions.raise_compiler_error('column_checks on ' ~ model ~ ': no rule given') }}
{%- endif %}

with counts as (

    select
        {%- for rule in rules %}
        sum(case when {{ rule.failing }} then 1 else 0 end) as failing_{{ loop.index }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

{% for rule in rules -%}
{#- a label, never SQL: Spark reads '' inside a literal as two literals #}
select
    '{{ rule.column }}' as column_name,
    '{{ rule.rule | replace("'", '"') | replace("\n", " ") }}' as rule,
    failing_{{ loop.index }} as failing_rows
from counts
where failing_{{ loop.index }} > 0
{{ 'union all' if not loop.last }}
{% endfor %}

{% endtest %}
