{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='request_date',
    window_entities=['requests'],
    on_schema_change='sync_all_columns',
) }}
{#
    One row per request (deduplicated, committed), enriched with:
    - the business unit: the request's own, else the people row valid that day,
      else 'unassigned';
    - the model catalogue row in force on the request's day (models.csv
      valid_from, CONTRACTS.md §5.2): in catalogue? approved? data
      classification allowed? price? Past usage keeps the price of its day; a
      day before a model's first valid_from finds no row: not in the catalogue
      then (shadow AI), and unpriced;
    - the policy-violation rule of CONTRACTS.md §4;
    - the trace columns as landed (trace_id, span_id, parent_span_id,
      agent_id, agent_name, tool_name);
    - cost: `reported_cost_usd` as landed, `priced_cost_usd` from the catalogue
      prices (tokens ÷ 1000 × price) only when no cost was reported, and
      `cost_usd` = whichever applies, labelled by `cost_source`.
    Incremental by request day (macros/incremental.sql): a run rebuilds the
    days touched by new batches (late and corrected requests included) plus
    the lookback, each from all committed versions of the requests with a
    version on those days, keeping the latest. A change to the people
    directory, the model catalogue or this model rebuilds every day.
#}
{%- set request_columns = [
    'request_id', 'user_id', 'business_unit_id', 'use_case_id', 'batch_id',
    'trace_id', 'span_id', 'parent_span_id', 'agent_id',
    'tool', 'provider', 'model', 'operation', 'agent_name', 'tool_name',
    'status', 'data_classification',
    'policy_action', 'input_tokens', 'output_tokens', 'latency_ms',
    'reported_cost_usd', 'feedback_score', 'request_date', 'week_start',
    'occurred_at',
] %}

{#- the CTEs every build needs, also run alone before an incremental build
    (below) #}
{%- set inputs_ctes %}
catalogue_rows as (

    select * from {{ ref('stg_config__models') }}

),

{# each catalogue row in force from its valid_from (null: the beginning) until
    the model's next row (CONTRACTS.md §5.2) -#}
models as (

    select
        catalogue_rows.*,
        lead(catalogue_rows.valid_from) over (
            partition by catalogue_rows.provider, catalogue_rows.model
            order by catalogue_rows.valid_from asc nulls first
        ) as valid_until
    from catalogue_rows

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

catalogue_fingerprint as (

    {{ rows_fingerprint('models', [
        'provider', 'model', 'is_approved', 'max_data_classification',
        'input_usd_per_1k_tokens', 'output_usd_per_1k_tokens', 'valid_from',
    ]) }}

),

directory_fingerprint as (

    {{ rows_fingerprint('people', [
        'user_id', 'business_unit_id', 'valid_from', 'valid_to',
    ]) }}

),

inputs as (

    select
        {{ dbt.hash(dbt.concat([
            "'" ~ model.checksum.checksum ~ "'",
            'catalogue_fingerprint.fingerprint',
            'directory_fingerprint.fingerprint',
        ])) }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at
    from catalogue_fingerprint
    cross join directory_fingerprint

)
{%- endset %}

{#- An incremental build reads the versions of the batches that logged a day
    it rebuilds, not the whole landing zone: whichever batch holds a
    request's latest version has logged every day the request had
    (int_batch_changes_logged), so those batches hold the latest version of
    every request with a version on those days. The batch ids are listed as
    literals (`batch_id_in`, macros/incremental.sql), so DuckDB skips the
    other batches' files. Unit tests (whose `this` is a fixture) read every
    batch. `dbt docs generate` (`cadence docs`) builds nothing, so it lists
    none: its compiled SQL reads every batch, and it never queries the copied
    warehouse's staging views, which name the landing zone of the home that
    built them (a home copied elsewhere rebuilds them in its next build). #}
{%- set window_batch_ids = none %}
{%- if is_incremental() and execute and this is not string and flags.WHICH != 'generate' %}
{%- set window_batches_query %}
    with
    {{ inputs_ctes }},
    window_days as (
        {{ changed_partitions(['requests'], 'day', '(select inputs.fingerprint from inputs)') }}
    )
    select distinct batch_changes.batch_id
    from batch_changes
    inner join window_days
        on batch_changes.event_date = window_days.partition_value
    where batch_changes.entity = 'requests'
    order by 1
{%- endset %}
{%- set window_batch_ids = run_query(window_batches_query).columns[0].values() | list %}
{%- endif %}

with

request_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__request_versions') }}

),

{{ inputs_ctes }},

{%- if is_incremental() %}

window_days as (

    {{ changed_partitions(['requests'], 'day', '(select inputs.fingerprint from inputs)') }}

),

{# the versions in the batches that logged a window day (listed above) -#}
window_versions as {{ inline_cte() }} (

    select request_versions.*
    from request_versions
    where {{ batch_id_in('request_versions.batch_id', window_batch_ids) }}

),

window_keys as (

    select distinct
        window_versions.tool,
        window_versions.request_id
    from window_versions
    inner join window_days
        on window_versions.request_date = window_days.partition_value

),

{# every version of those requests, wherever it lies: the latest decides
    the day a request belongs to -#}
candidate_versions as (

    select window_versions.*
    from window_versions
    inner join window_keys
        on
            window_versions.tool = window_keys.tool
            and window_versions.request_id = window_keys.request_id

),

latest_versions as (

    {{ latest_version('candidate_versions', ['tool', 'request_id'], request_columns) }}

),

requests as (

    select latest_versions.*
    from latest_versions
    inner join window_days
        on latest_versions.request_date = window_days.partition_value

),

{# the user-days to place in the directory: those of every version (a
    superset of the latest versions' ones, read without a second pass over
    the deduplicated requests) -#}
user_days as (

    select distinct
        candidate_versions.user_id,
        candidate_versions.request_date
    from candidate_versions
    where candidate_versions.user_id is not null

),

{%- else %}

requests as (

    {{ latest_version(
        'request_versions', ['tool', 'request_id'], request_columns,
        split_unique_keys=true,
    ) }}

),

user_days as (

    select distinct
        request_versions.user_id,
        request_versions.request_date
    from request_versions
    where request_versions.user_id is not null

),

{%- endif %}

directory_matches as (

    select
        user_days.user_id,
        user_days.request_date,
        people.business_unit_id as directory_business_unit_id,
        row_number() over (
            partition by user_days.user_id, user_days.request_date
            order by people.valid_from desc, people.business_unit_id asc
        ) as match_rank
    from user_days
    inner join people
        on
            user_days.user_id = people.user_id
            and (people.valid_from is null or user_days.request_date >= people.valid_from)
            and (people.valid_to is null or user_days.request_date <= people.valid_to)

),

requests_joined as (

    select
        requests.*,
        directory_matches.directory_business_unit_id,
        models.model as catalogue_model,
        models.is_approved as catalogue_is_approved,
        models.max_classification_rank,
        models.input_usd_per_1k_tokens,
        models.output_usd_per_1k_tokens,
        {{ classification_rank('requests.data_classification') }}
            as classification_rank
    from requests
    left join models
        on
            requests.provider = models.provider
            and requests.model = models.model
            and (models.valid_from is null or requests.request_date >= models.valid_from)
            and (models.valid_until is null or requests.request_date < models.valid_until)
    left join directory_matches
        on
            requests.user_id = directory_matches.user_id
            and requests.request_date = directory_matches.request_date
            and directory_matches.match_rank = 1

),

flagged as (

    select
        requests_joined.*,
        {# a model call: neither an agent run nor a tool call (CONTRACTS.md
            §5.1) #}
        coalesce(
            requests_joined.operation not in ('invoke_agent', 'execute_tool'), true
        ) as is_model_call,
        requests_joined.catalogue_model is not null as is_in_catalogue,
        coalesce(requests_joined.catalogue_is_approved, false)
            as is_approved_model,
        coalesce(
            requests_joined.catalogue_model is not null
            and requests_joined.classification_rank
            > coalesce(requests_joined.max_classification_rank, 1),
            false
        ) as is_classification_violation,
        {# an unspecified max classification allows public data only #}
        case
            when requests_joined.reported_cost_usd is null
                then
                    coalesce(requests_joined.input_tokens, 0) / 1000.0
                    * requests_joined.input_usd_per_1k_tokens
                    + coalesce(requests_joined.output_tokens, 0) / 1000.0
                    * requests_joined.output_usd_per_1k_tokens
        end as priced_cost_usd
    from requests_joined

),

final as (

    select
        -- ids
        flagged.request_id,
        flagged.user_id,
        coalesce(
            flagged.business_unit_id,
            flagged.directory_business_unit_id,
            'unassigned'
        ) as business_unit_id,
        coalesce(flagged.use_case_id, 'unassigned') as use_case_id,
        flagged.batch_id,
        flagged.trace_id,
        flagged.span_id,
        flagged.parent_span_id,
        flagged.agent_id,
        -- strings
        flagged.tool,
        {# An agent or tool span naming no provider or model, with no model
            call above it in its file, lands with none (CONTRACTS.md §5.1);
            here it is 'unknown', as a model call naming none lands. It is not
            a model call (is_model_call), so no operations or trust mart
            counts it, and it is never shadow AI. #}
        coalesce(flagged.provider, 'unknown') as provider,
        coalesce(flagged.model, 'unknown') as model,
        flagged.operation,
        flagged.agent_name,
        flagged.tool_name,
        flagged.status,
        flagged.data_classification,
        flagged.policy_action,
        case
            when flagged.reported_cost_usd is not null then 'reported'
            when flagged.priced_cost_usd is not null then 'catalogue_price'
            else 'unpriced'
        end as cost_source,
        -- numerics
        coalesce(flagged.input_tokens, 0) as input_tokens,
        coalesce(flagged.output_tokens, 0) as output_tokens,
        flagged.latency_ms,
        flagged.reported_cost_usd,
        flagged.priced_cost_usd,
        coalesce(flagged.reported_cost_usd, flagged.priced_cost_usd, 0)
            as cost_usd,
        flagged.feedback_score,
        -- booleans
        flagged.status = 'success' as is_success,
        flagged.status in ('error', 'timeout') as is_error,
        flagged.status = 'blocked' or flagged.policy_action = 'blocked'
            as is_blocked,
        flagged.policy_action = 'redacted' as is_redacted,
        flagged.is_in_catalogue,
        flagged.is_approved_model,
        flagged.is_model_call,
        flagged.is_model_call and not flagged.is_approved_model as is_shadow_ai,
        flagged.is_classification_violation,
        (
            flagged.policy_action in ('blocked', 'redacted')
            or (flagged.is_model_call and not flagged.is_approved_model)
            or flagged.is_classification_violation
        ) as is_policy_violation,
        -- dates
        flagged.request_date,
        flagged.week_start,
        -- timestamps
        flagged.occurred_at,
        inputs.logged_through_at,
        -- bookkeeping (macros/incremental.sql)
        inputs.fingerprint as inputs_fingerprint
    from flagged
    cross join inputs

)

select * from final
