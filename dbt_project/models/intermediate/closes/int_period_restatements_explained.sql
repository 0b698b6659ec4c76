{#
    One row per closed period with recorded figures: why its figures may have
    changed since the close. As of a period (CONTRACTS.md §5.4) its figures
    read rows dated on or before its last day, with configuration as known
    then; so after the close they change only when such rows land later, or
    when cadence's own calculation or settings change.
    - late rows: rows dated on or before period_end, committed after the
      close, whose key no earlier version had at the close;
    - corrected rows: the same, for a key that had a version at the close
      (requests by tool × request_id, activity by user × day × tool,
      workflow events by event_id: the entities whose every version is
      kept);
    - for the entities kept as their latest version only (KPI observations,
      survey responses, enablement events, people, licences): rows landed or
      corrected after the close;
    - none of these: the calculation or the build's settings changed (a
      cadence upgrade, CADENCE_MIN_GROUP_SIZE), said as such.
#}
{%- set entities = [
    ('requests', 'stg_landing__request_versions', 'request_date',
     ['tool', 'request_id']),
    ('activity', 'stg_landing__activity_versions', 'activity_date',
     ['user_id', 'activity_date', 'tool']),
    ('workflow events', 'stg_landing__workflow_event_versions', 'occurred_at', ['event_id']),
    ('KPI observations', 'stg_landing__kpi_observations', 'period_start', none),
    ('survey responses', 'stg_landing__survey_responses', 'submitted_date', none),
    ('enablement events', 'stg_landing__enablement_events', 'event_date', none),
    ('people', 'stg_landing__people', 'valid_from', none),
    ('licences', 'stg_landing__licenses', 'assigned_date', none),
] %}
with

closes as (

    select * from {{ ref('int_period_closes_listed') }}

),

recorded_closes as (

    select closes.* from closes
    where closes.is_recorded

),

first_close as (

    select min(recorded_closes.closed_at) as closed_at from recorded_closes

),

{% for entity, model, event_column, key_columns in entities %}
{{ model | replace('stg_landing__', '') }} as (

    select * from {{ ref(model) }}

),

{% endfor -%}

landed_after as (

    {#- every row committed after the first close, dated (people without a
        start date apply always: dated at the epoch) #}
    {%- for entity, model, event_column, key_columns in entities %}
    {%- set relation = model | replace('stg_landing__', '') %}
    {%- set row_key = key_hash(key_columns, relation) if key_columns else 'null' %}
    select
        {{ loop.index }} as entity_order,
        '{{ entity }}' as entity,
        {{ dbt.cast(row_key, dbt.type_string()) }} as row_key,
        cast(coalesce(
            cast({{ relation }}.{{ event_column }} as date), cast('1900-01-01' as date)
        ) as date) as event_date,
        {{ relation }}.ingested_at
    from {{ relation }}
    cross join first_close
    where {{ relation }}.ingested_at > first_close.closed_at
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

late_keys as (

    select distinct
        landed_after.entity,
        landed_after.row_key
    from landed_after
    where landed_after.row_key is not null

),

keys_first_landed as (

    {#- when each late row's key first landed, for the entities keeping every
        version #}
    {%- for entity, model, event_column, key_columns in entities if key_columns %}
    {%- set relation = model | replace('stg_landing__', '') %}
    {%- set row_key = dbt.cast(key_hash(key_columns, relation), dbt.type_string()) %}
    select
        '{{ entity }}' as entity,
        {{ row_key }} as row_key,
        min({{ relation }}.ingested_at) as first_ingested_at
    from {{ relation }}
    inner join late_keys
        on
            late_keys.entity = '{{ entity }}'
            and {{ row_key }} = late_keys.row_key
    group by 1, 2
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

rows_classified as (

    select
        closes.period_grain,
        closes.period_start,
        landed_after.entity_order,
        landed_after.entity,
        sum(
            case
                when landed_after.row_key is null then 0
                when keys_first_landed.first_ingested_at <= closes.closed_at then 0
                else 1
            end
        ) as late_rows,
        sum(
            case
                when keys_first_landed.first_ingested_at <= closes.closed_at then 1 else 0
            end
        ) as corrected_rows,
        sum(case when landed_after.row_key is null then 1 else 0 end) as changed_rows
    from recorded_closes as closes
    inner join landed_after
        on
            closes.closed_at < landed_after.ingested_at
            and closes.period_end >= landed_after.event_date
    left join keys_first_landed
        on
            landed_after.entity = keys_first_landed.entity
            and landed_after.row_key = keys_first_landed.row_key
    group by 1, 2, 3, 4

),

rows_described as (

    {%- set late = dbt.cast('rows_classified.late_rows', dbt.type_string()) %}
    {%- set corrected = dbt.cast('rows_classified.corrected_rows', dbt.type_string()) %}
    select
        rows_classified.period_grain,
        rows_classified.period_start,
        rows_classified.entity_order,
        case
            when rows_classified.changed_rows > 0
                then {{ dbt.concat([
                    'rows_classified.entity', "' '",
                    dbt.cast('rows_classified.changed_rows', dbt.type_string()),
                ]) }}
            when rows_classified.late_rows > 0 and rows_classified.corrected_rows > 0
                then {{ dbt.concat([
                    'rows_classified.entity', "' '", late, "' late + '", corrected,
                    "' corrected'",
                ]) }}
            when rows_classified.late_rows > 0
                then {{ dbt.concat(['rows_classified.entity', "' '", late, "' late'"]) }}
            else {{ dbt.concat(['rows_classified.entity', "' '", corrected, "' corrected'"]) }}
        end as description
    from rows_classified

),

periods_described as (

    select
        rows_described.period_grain,
        rows_described.period_start,
        {{ dbt.listagg(
            'rows_described.description', "'; '",
            'order by rows_described.entity_order'
        ) }} as rows_description
    from rows_described
    group by 1, 2

),

final as (

    select
        -- strings
        closes.period_grain,
        coalesce(
            {{ dbt.concat([
                "'rows dated on or before the period end landed after the close: '",
                'periods_described.rows_description',
            ]) }},
            {{ dbt.concat([
                "'no row dated in the period landed after the close: cadence''s "
                ~ "calculation or the build settings changed since build '",
                'closes.close_id',
            ]) }}
        ) as restatement_reason,
        -- booleans
        periods_described.rows_description is not null as has_rows_after_close,
        -- dates
        closes.period_start
    from recorded_closes as closes
    left join periods_described
        on
            closes.period_grain = periods_described.period_grain
            and closes.period_start = periods_described.period_start

)

select * from final
