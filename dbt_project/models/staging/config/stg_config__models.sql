{# One row per provider × model of the approved-model catalogue. #}
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
            as is_approved
    from models

)

select * from final
