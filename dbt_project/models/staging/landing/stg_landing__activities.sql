{#
    One row per user × day × tool from vendor usage reports, latest landed
    version, committed batches only. `is_active` defaults to true.
#}
with

activity_versions as (

    select * from {{ ref('stg_landing__activity_versions') }}

),

final as (

    {{ latest_version(
        'activity_versions', ['user_id', 'activity_date', 'tool'], [
            'user_id', 'batch_id', 'tool', 'interactions_count',
            'generations_count', 'acceptances_count', 'lines_suggested_count',
            'lines_accepted_count', 'input_tokens', 'output_tokens',
            'is_active', 'activity_date', 'week_start', 'ingested_at',
        ]
    ) }}

)

select * from final
