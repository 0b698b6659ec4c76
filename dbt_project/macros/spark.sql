{#
    Spark (`--target spark`, README "Running at scale"): the landing zone's
    sources as tables over its Parquet files.

    On DuckDB the sources read the files through `external_location`
    (`read_parquet(..., union_by_name = true)`). dbt-spark has no such meta,
    so before any node runs (`on-run-start`) this registers one table per
    source over the same folders: `<root>/landing/<entity>/`,
    `<root>/ledger/<table>/` and `<root>/quarantine/`, where `<root>` is
    `CADENCE_LANDING_URI` (any URI Spark reads: a local folder, `s3a://`,
    `abfss://`, `gs://`) and defaults to `CADENCE_HOME`.
    - `recursiveFileLookup`: every Parquet file below the folder, without
      partition discovery (the files carry `_batch_id` themselves);
    - `mergeSchema`: the union of the files' columns, as `union_by_name`
      (every folder holds a zero-row `0-schema` file with the canonical
      types, so no column is ever missing);
    - quarantine: one table over all entities, and the source is a view that
      adds each row's file path as `filename`, as DuckDB's `filename = true`
      does (staging reads the entity from it).
    Renders no SQL itself: it runs its statements and returns nothing, so
    the hook is empty on every other adapter.
#}
{% macro create_landing_sources() -%}
    {%- if execute and target.type == 'spark' -%}
        {%- do cadence.spark__create_landing_sources() -%}
    {%- endif -%}
{%- endmacro %}

{% macro spark__create_landing_sources() -%}
    {%- set home = env_var('CADENCE_HOME', '../warehouse').rstrip('/') -%}
    {%- set root = env_var('CADENCE_LANDING_URI', home).rstrip('/') -%}
    {%- set folders = {
        'landing': 'landing/{name}',
        'ledger': 'ledger/{name}',
        'quarantine': 'quarantine',
    } -%}
    {%- for source_name in folders -%}
        {%- do run_query('create database if not exists ' ~ source_name) -%}
    {%- endfor -%}
    {%- for node in graph.sources.values() if node.source_name in folders -%}
        {#- the configuration history and the period closes are written by the build,
            under the home, just before dbt runs (cadence/config_history.py,
            cadence/period_close.py): never synced to a remote landing zone #}
        {%- set written_by_builds = ['config_versions', 'period_closes', 'period_close_rows'] -%}
        {%- set base = home if node.name in written_by_builds else root -%}
        {%- set path = base ~ '/' ~ folders[node.source_name].format(name=node.name) -%}
        {%- set files_table = node.source_name ~ '.' ~ node.name
            ~ ('__files' if node.source_name == 'quarantine' else '') -%}
        {%- do run_query('drop view if exists ' ~ node.source_name ~ '.' ~ node.name) -%}
        {%- do run_query('drop table if exists ' ~ files_table) -%}
        {%- do run_query(
            'create table ' ~ files_table ~ ' using parquet options ('
            ~ "path '" ~ path ~ "', recursiveFileLookup 'true', mergeSchema 'true')"
        ) -%}
        {%- if node.source_name == 'quarantine' -%}
            {%- do run_query(
                'create view ' ~ node.source_name ~ '.' ~ node.name ~ ' as select '
                ~ files_table ~ '.*, ' ~ files_table ~ '._metadata.file_path as filename'
                ~ ' from ' ~ files_table
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#
    Seeds on Spark. dbt-spark's session method binds seed values by
    formatting them into the SQL text: an empty cell becomes the string
    'None' (an owner named "None" would count as named) and a value with a
    quote breaks the statement. This renders each value as a literal
    instead: null, a number, a boolean, or an escaped string that the
    column's type casts.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = cadence.spark_seed_type(model, agate_table, loop.index0) -%}
                    {%- set value = row[loop.index0] -%}
                    cast({{ cadence.spark_seed_literal(value) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#
    A seed column without a declared type (kpis.csv's optional min_periods,
    CONTRACTS.md §5.2: a declared type would fail a kpis.csv without it) is
    inferred. dbt-spark infers a whole-number column as bigint where
    dbt-duckdb infers integer; both engines publish integer.
#}
{% macro spark_seed_type(model, agate_table, index) -%}
    {%- set declared = model['config'].get('column_types', {}) -%}
    {%- set inferred = adapter.convert_type(agate_table, index) -%}
    {%- set inferred = 'int' if inferred == 'bigint' else inferred -%}
    {{- return(declared.get(agate_table.column_names[index], inferred)) -}}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(col_name | string, model['config'].get('quote_columns')) }}
            {{ cadence.spark_seed_type(model, agate_table, loop.index0) }}
            {%- if not loop.last %},{% endif -%}
            {%- endfor %}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{#
    dbt-spark's listagg drops the `order by` (with a warning), so the order
    of a generated list (readiness gaps, reasons) would depend on the plan.
    Spark 4 has `listagg ... within group (order by ...)`.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not implemented on Spark") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
