{#
    Incremental builds (README.md, "Incremental builds").

    The unit of change is the ingestion batch. `int_batch_changes_logged`
    logs, once per batch, the partitions it touched: event days (for
    requests, the days of its rows and of every earlier version of the same
    requests) and workflow runs. A windowed
    incremental model keeps two bookkeeping columns on its rows:
    - `logged_through_at`: how far the model had read the log when the row
      was written (`build_watermark`); rows written by the current build have
      it at or after the build's start, which is how tests find them;
    - `inputs_fingerprint`: a hash of the model's code and of the slowly
      changing inputs every row depends on (people directory, model
      catalogue, the fingerprints of incremental parents).
    Each run rebuilds a window of partitions (days, Monday week starts or
    workflow runs) from all committed rows, and the `replace_window` strategy deletes
    exactly that window before inserting, so a partition left without rows
    is emptied too (plain delete+insert only deletes the keys it inserts).
#}

{#
    The partitions rebuilt in this run, as a select of `partition_value`:
    - the partitions logged since `logged_through_at` by batches of
      `entities`;
    - for days and weeks, the `incremental_lookback_days` latest days with
      data of `entities`, whenever anything new was logged (a safety margin);
    - every logged partition, when the table is empty, was built before it
      had the bookkeeping columns, or any row carries a fingerprint other
      than `fingerprint` (a SQL expression; when it is null, fingerprints are
      not compared).
    `grain`: 'day' (the event day), 'week' (the Monday of the event day's
    week), 'month' (its first day) or 'run' (the workflow run id).
#}
{% macro changed_partitions(entities, grain='day', fingerprint='null') -%}
    {%- set lookback = 0 if grain == 'run' else var('incremental_lookback_days') | int -%}
    {%- set entity_list -%}
        {%- for entity in entities -%}
        '{{ entity }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    {%- endset -%}
    {%- set logged_column = 'run_id' if grain == 'run' else 'event_date' -%}
    {%- set has_bookkeeping = true -%}
    {%- if execute and this is not string -%}  {#- a unit test's `this` is a fixture #}
        {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- if existing
            and not ('logged_through_at' in existing and 'inputs_fingerprint' in existing) -%}
            {%- set has_bookkeeping = false -%}
        {%- endif -%}
    {%- endif -%}
    select distinct
        {% if grain in ('week', 'month') -%}
        {{ period_start(grain, 'cast(window_partitions.event_date as date)') }}
        {%- elif grain == 'run' -%}
        window_partitions.run_id
        {%- else -%}
        cast(window_partitions.event_date as date)
        {%- endif %} as partition_value
    from (
        select
            flagged.run_id,
            case
                when offsets.is_lookback = 1
                    then {{ dbt.dateadd('day', '-offsets.days_back', 'flagged.latest_date') }}
                else flagged.event_date
            end as event_date
        from (
            select
                logged.event_date,
                logged.run_id,
                logged.is_new,
                max(logged.is_new) over () as any_new,
                max(logged.event_date) over () as latest_date
            from (
                select
                    logged.event_date,
                    logged.run_id,
                    case
                        when
                            previous.logged_through_at is null
                            or logged.logged_at > previous.logged_through_at
                            or previous.stale_rows > 0
                            then 1
                        else 0
                    end as is_new
                from {{ ref('int_batch_changes_logged') }} as logged
                cross join (
                    {%- if has_bookkeeping %}
                    select
                        max(this_model.logged_through_at) as logged_through_at,
                        sum(
                            case
                                when this_model.inputs_fingerprint <> {{ fingerprint }}
                                    then 1
                                else 0
                            end
                        ) as stale_rows
                    from {{ this }} as this_model
                    {%- else %}
                    {#- built before this model was incremental: rebuild all #}
                    select
                        cast(null as {{ dbt.type_timestamp() }}) as logged_through_at,
                        0 as stale_rows
                    {%- endif %}
                ) as previous
                where
                    logged.entity in ({{ entity_list }})
                    and logged.{{ logged_column }} is not null
            ) as logged
        ) as flagged
        cross join (
            select 0 as is_lookback, 0 as days_back
            {%- for days_back in range(lookback) %}
            union all
            select 1 as is_lookback, {{ days_back }} as days_back
            {%- endfor %}
        ) as offsets
        where
            (offsets.is_lookback = 0 and flagged.is_new = 1)
            or (offsets.is_lookback = 1 and flagged.any_new = 1)
    ) as window_partitions
{%- endmacro %}

{#
    Custom incremental strategy `replace_window`: delete every row whose
    `window_column` lies in the window of `changed_partitions` (configured by
    `window_entities` and `window_grain`), then insert the model's rows. The
    window is computed again here from the same inputs, before anything is
    deleted; the fingerprint is read back from the rows about to be
    inserted. Portable: a delete and an insert.
#}
{% macro get_incremental_replace_window_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ config.require('window_column') }} in (
        {{ changed_partitions(
            config.require('window_entities'),
            config.get('window_grain', 'day'),
            '(select max(inserted.inputs_fingerprint) from ' ~ source ~ ' as inserted)',
        ) }}
    );

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }}
    from {{ source }}
{%- endmacro %}

{#
    A hash of the rows of `relation` (a CTE name) over `columns`, order
    independent, for `inputs_fingerprint`.
#}
{% macro rows_fingerprint(relation, columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ relation ~ "." ~ column ~ " as "
            ~ dbt.type_string() ~ "), '~')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {%- set row_text = dbt.concat(parts) -%}
    select
        {{ dbt.hash(dbt.listagg(row_text, "';'", "order by " ~ row_text)) }}
            as fingerprint
    from {{ relation }}
{%- endmacro %}

{#
    `logged_through_at` for the rows a model writes in this build: the newest
    `logged_at` of the change log (`relation`, a CTE over it), or the build's
    start if later. Every log entry at or before it was read by this build or
    an earlier one (entries are only appended by builds, before the models
    that read them), and it is at or after the build's start, so
    `logged_through_at >= run_started_at` finds the rows this build wrote.
#}
{% macro build_watermark(relation) -%}
    {%- set started -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
    {%- endset -%}
    greatest(
        coalesce((select max({{ relation }}.logged_at) from {{ relation }}), {{ started }}),
        {{ started }}
    )
{%- endmacro %}

{#
    The rows of an incremental model written by the current build. A re-run of
    a failed build's tests is another dbt run, started later: `cadence build`
    passes the failed build's start as the var `rebuilt_since` (UTC,
    'YYYY-MM-DD HH:MM:SS.ffffff', taken just before its dbt run began).
#}
{% macro written_by_this_build(column='logged_through_at') -%}
    {%- set since = var('rebuilt_since', none)
        or run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") -%}
    {{ column }} >= cast('{{ since }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#
    `column` in a literal list of batch ids, for reading only some batches of
    the landing zone: DuckDB skips the files of the other `batch_id=`
    folders when the list is literal (over 100M landed requests: 0.1 s
    instead of 11 s with a subquery). `batch_ids` none (not known, e.g. in a
    unit test) or longer than 2,000 reads every batch; empty reads none.
#}
{% macro batch_id_in(column, batch_ids) -%}
    {%- if batch_ids is none or batch_ids | length > 2000 -%}
        1 = 1
    {%- elif batch_ids | length == 0 -%}
        1 = 0
    {%- else -%}
        {{ column }} in (
            {%- for batch_id in batch_ids %}
            '{{ batch_id | replace("'", "''") }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
