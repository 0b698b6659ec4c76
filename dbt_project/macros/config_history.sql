{#
    The rows of one configuration file in every recorded version
    (CONTRACTS.md §5.2), typed as its seed is (var('config_columns') in
    dbt_project.yml, so the types are declared once), with the dates the
    version is in force: `config_valid_from_date` (null: from the beginning)
    and `config_valid_until_date` (null: for good), and the day it was
    recorded (`config_recorded_date`). Pick the version known at
    a date with `config_in_force(relation, date)`. A column a version's file
    lacks is null in that version; a file no version holds has no rows. A value
    an older version holds that no longer casts to the column's declared type
    (the declaration changed since) is null, on DuckDB and Spark alike
    (dbt.safe_cast), rather than failing every later build.
#}
{% macro config_versions(config_file, column_types=none) -%}
    {%- set columns = cadence.config_column_types(config_file, column_types) %}
    select
        config_versions_dated.version_id as config_version_id,
        config_versions_dated.valid_from_date as config_valid_from_date,
        config_versions_dated.valid_until_date as config_valid_until_date,
        config_versions_dated.effective_recorded_date as config_recorded_date,
        config_cells.source_row as config_source_row,
        {%- for name, type in columns.items() %}
        {{ dbt.safe_cast(
            "max(case when config_cells.column_name = '" ~ name
            ~ "' then config_cells.cell_value end)",
            type,
        ) }} as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('int_config_versions_dated') }} as config_versions_dated
    inner join {{ ref('stg_ledger__config_versions') }} as config_cells
        on
            config_versions_dated.version_id = config_cells.version_id
            and config_versions_dated.config_file = config_cells.config_file
    where
        config_versions_dated.config_file = '{{ config_file }}'
        and not config_cells.is_version_marker
    group by 1, 2, 3, 4, 5
{%- endmacro %}

{# Whether the version of a `config_versions` row is the one known at `date_expression`. #}
{% macro config_in_force(relation, date_expression) -%}
    ({{ relation }}.config_valid_from_date is null
        or {{ relation }}.config_valid_from_date <= {{ date_expression }})
    and ({{ relation }}.config_valid_until_date is null
        or {{ date_expression }} < {{ relation }}.config_valid_until_date)
{%- endmacro %}

{#
    A configuration file's columns and types (var('config_columns'),
    dbt_project.yml, which also types the seeds), name → type. `fallback` adds
    the optional columns a file may lack (a seed's column_types may only name
    columns its file has), and types a file the var does not list.
#}
{% macro config_column_types(config_file, fallback=none) -%}
    {%- set types = {} -%}
    {%- do types.update(var('config_columns').get(config_file, {})) -%}
    {%- for name, type in (fallback or {}).items() if name not in types -%}
        {%- do types.update({name: type}) -%}
    {%- endfor -%}
    {%- if not types -%}
        {{ exceptions.raise_compiler_error(
            "config_versions: no columns for the configuration file " ~ config_file
            ~ " in var('config_columns') (dbt_project.yml)") }}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}

{#
    The build date as SQL: `CADENCE_BUILD_DATE` (cadence.build.build_date sets
    it: the UTC day the build started, or a pinned day), else current_date.
#}
{% macro build_date() -%}
    {%- if env_var('CADENCE_BUILD_DATE', '') -%}
        cast('{{ env_var('CADENCE_BUILD_DATE') }}' as date)
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}
