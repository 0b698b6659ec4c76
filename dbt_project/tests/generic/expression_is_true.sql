{#
    Every row satisfies `expression` (optionally only rows matching
    `where`, which dbt applies through the test's `config.where`).
    Use `column_name` in the expression via the column it is attached to.
#}
{% test expression_is_true(model, expression, column_name=None) %}

select *
from {{ model }}
where not coalesce(
    {% if column_name is not none %}{{ column_name }} {% endif %}{{ expression }},
    false
)

{% endtest %}
