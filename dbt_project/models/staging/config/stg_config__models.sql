{#
    One row per provider × model × price period of the model catalogue
    (seeds/models.csv). `valid_from` (optional, CONTRACTS.md §5.2): the row
    applies from that day until the day before the model's next row; a blank
    valid_from applies from the beginning. A file without the column loads
    with one undated row per model, as before.
#}
{%- set seed_columns = [] %}
{%- if execute %}
{%- set seed_columns = adapter.get_columns_in_relation(ref('models'))
    | map(attribute='name') | map('lower') | list %}
{%- endif %}
with

models as (

    select * from {{ ref('models') }}

),

final as (

    select
        -- strings
        cast(models.provider as {{ dbt.type_string() }}) as provider,
        cast(models.model as {{ dbt.type_string() }}) as model,
        cast(models.max_data_classification as {{ dbt.type_string() }})
            as max_data_classification,
        -- numerics
        cast(models.input_usd_per_1k_tokens as {{ type_double() }})
            as input_usd_per_1k_tokens,
        cast(models.output_usd_per_1k_tokens as {{ type_double() }})
            as output_usd_per_1k_tokens,
        {{ classification_rank('models.max_data_classification') }}
            as max_classification_rank,
        -- booleans
        coalesce(cast(models.is_approved as {{ dbt.type_boolean() }}), false)
            as is_approved,
        -- dates
        {%- if 'valid_from' in seed_columns %}
        cast(models.valid_from as date) as valid_from
        {%- else %}
        cast(null as date) as valid_from
        {%- endif %}
    from models

)

select * from final
