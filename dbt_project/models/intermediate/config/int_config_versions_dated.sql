{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per recorded version of a configuration file, with the dates it
    is in force (CONTRACTS.md §5.2): "as known at a date d" is the latest
    version recorded on or before d, and before the first recorded version,
    the first one. So a version is in force on d when
    `valid_from_date` (null for the first: from the beginning) ≤ d <
    `valid_until_date` (null for the latest: for good). Two versions recorded
    on one day: the later one is in force from that day, the earlier never.
#}
with

config_versions as (

    select * from {{ ref('stg_ledger__config_versions') }}

),

versions_ordered as (

    select
        config_versions.version_id,
        config_versions.config_file,
        config_versions.file_sha256,
        config_versions.recorded_at,
        row_number() over (
            partition by config_versions.config_file
            order by config_versions.recorded_at, config_versions.version_id
        ) as version_number,
        lead(config_versions.recorded_at) over (
            partition by config_versions.config_file
            order by config_versions.recorded_at, config_versions.version_id
        ) as next_recorded_at
    from config_versions
    where config_versions.is_version_marker

),

versions_dated as (

    select
        versions_ordered.*,
        case
            when cast(versions_ordered.recorded_at as date) > {{ build_date() }}
                then {{ build_date() }}
            else cast(versions_ordered.recorded_at as date)
        end as effective_recorded_date,
        case
            when cast(versions_ordered.next_recorded_at as date) > {{ build_date() }}
                then {{ build_date() }}
            else cast(versions_ordered.next_recorded_at as date)
        end as next_effective_recorded_date
    from versions_ordered

),

final as (

    select
        -- ids
        versions_dated.version_id,
        -- strings
        versions_dated.config_file,
        versions_dated.file_sha256,
        -- numerics
        versions_dated.version_number,
        -- booleans
        versions_dated.file_sha256 is null as is_removed,
        -- dates
        versions_dated.effective_recorded_date,
        case
            when versions_dated.version_number > 1
                then versions_dated.effective_recorded_date
        end as valid_from_date,
        versions_dated.next_effective_recorded_date as valid_until_date,
        -- timestamps
        versions_dated.recorded_at
    from versions_dated

)

select * from final
