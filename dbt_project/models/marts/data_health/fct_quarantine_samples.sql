{#
    One row per entity × quarantine reason × sample (the 3 most recently
    ingested rows of each reason): where to find the row — source file, row
    number, batch — so whoever fixes the source can look at it. The row's own
    values stay in the quarantine files (ids already pseudonymised there).
#}
with

quarantined_rows as (

    select * from {{ ref('stg_ledger__quarantined_rows') }}

),

rows_ranked_within_reason as (

    select
        quarantined_rows.entity,
        quarantined_rows.reason,
        quarantined_rows.source_file,
        quarantined_rows.batch_id,
        quarantined_rows.source_row_number,
        quarantined_rows.ingested_at,
        row_number() over (
            partition by quarantined_rows.entity, quarantined_rows.reason
            order by
                quarantined_rows.ingested_at desc,
                quarantined_rows.batch_id desc,
                quarantined_rows.source_row_number asc
        ) as sample_number
    from quarantined_rows

),

final as (

    select
        -- ids
        cast(rows_ranked_within_reason.batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(rows_ranked_within_reason.entity as {{ dbt.type_string() }}) as entity,
        cast(rows_ranked_within_reason.reason as {{ dbt.type_string() }}) as reason,
        cast(rows_ranked_within_reason.source_file as {{ dbt.type_string() }})
            as source_file,
        -- numerics
        cast(rows_ranked_within_reason.sample_number as {{ dbt.type_bigint() }})
            as sample_number,
        cast(rows_ranked_within_reason.source_row_number as {{ dbt.type_bigint() }})
            as source_row_number,
        -- timestamps
        cast(rows_ranked_within_reason.ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from rows_ranked_within_reason
    where rows_ranked_within_reason.sample_number <= 3  {# a sample, not the whole quarantine #}

)

select * from final
