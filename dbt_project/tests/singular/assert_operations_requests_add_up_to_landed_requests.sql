{#
    Every request is counted exactly once (nothing lost, nothing doubled):
    - after a build that logged every batch (a full build): as many distinct
      landed requests (tool × request_id, committed) as int_requests_enriched
      has rows (whose keys are unique: its own test);
    - after an incremental build: every request with a landed version on a
      day this build logged (late and corrected requests included) is in
      int_requests_enriched exactly once, a check whose cost follows the new
      data; a build with nothing new checks no request;
    - fct_operations_weekly and fct_trust_weekly add up to the model calls of
      int_requests_enriched (agent runs and tool calls are not model calls).
#}
{%- set logged_everything = false %}
{%- if execute %}
{%- set older_entries %}
    select count(*) from {{ ref('int_batch_changes_logged') }}
    where entity = 'requests' and not {{ written_by_this_build('logged_at') }}
{%- endset %}
{%- set logged_everything = run_query(older_entries).columns[0].values()[0] == 0 %}
{%- endif %}
{#- the batches that logged a day this build logged: they hold every version
    on those days (a batch logs its own rows' days), so only their files are
    read (macros/incremental.sql, `batch_id_in`) #}
{%- set logged_batch_ids = none %}
{%- if execute and not logged_everything %}
{%- set logged_batches %}
    select distinct logged.batch_id
    from {{ ref('int_batch_changes_logged') }} as logged
    where
        logged.entity = 'requests'
        and logged.event_date in (
            select this_build.event_date
            from {{ ref('int_batch_changes_logged') }} as this_build
            where
                this_build.entity = 'requests'
                and {{ written_by_this_build('this_build.logged_at') }}
        )
    order by 1
{%- endset %}
{%- set logged_batch_ids = run_query(logged_batches).columns[0].values() | list %}
{%- endif %}

with

request_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__request_versions') }}

),

requests as {{ inline_cte() }} (

    select * from {{ ref('int_requests_enriched') }}

),

operations as (

    select coalesce(sum(operations_weekly.requests), 0) as requests
    from {{ ref('fct_operations_weekly') }} as operations_weekly

),

trust as (

    select coalesce(sum(trust_weekly.requests), 0) as requests
    from {{ ref('fct_trust_weekly') }} as trust_weekly

),

{%- if logged_everything %}

{# distinct landed keys, exactly, without a distinct over 100M key
    strings: all versions, less the extra versions of keys landed more than
    once, found among the versions whose 64-bit key hash is shared -#}
shared_versions as (

    select
        request_versions.tool,
        request_versions.request_id
    from request_versions
    where {{ key_hash(['tool', 'request_id'], 'request_versions') }} in (
        select {{ key_hash(['tool', 'request_id'], 'all_versions') }}
        from request_versions as all_versions
        group by {{ key_hash(['tool', 'request_id'], 'all_versions') }}
        having count(*) > 1
    )

),

failures as (

    select
        'landed requests and int_requests_enriched rows differ' as failure,
        cast(null as {{ dbt.type_string() }}) as tool,
        cast(null as {{ dbt.type_string() }}) as request_id
    from (
        select
            (select count(*) from request_versions)
            - (select count(*) from shared_versions)
            + (
                select count(*)
                from (
                    select distinct
                        shared_versions.tool,
                        shared_versions.request_id
                    from shared_versions
                ) as shared_keys
            ) as requests
    ) as landed
    where landed.requests <> (select count(*) from requests)

),

{%- else %}

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

logged_days as (

    select distinct batch_changes.event_date
    from batch_changes
    where
        batch_changes.entity = 'requests'
        and {{ written_by_this_build('batch_changes.logged_at') }}

),

landed_keys as (

    select distinct
        request_versions.tool,
        request_versions.request_id
    from request_versions
    inner join logged_days
        on request_versions.request_date = logged_days.event_date
    where {{ batch_id_in('request_versions.batch_id', logged_batch_ids) }}

),

failures as (

    select
        {{ dbt.concat([
            "'request counted '",
            dbt.cast('count(requests.request_id)', dbt.type_string()),
            "' times'",
        ]) }} as failure,
        landed_keys.tool,
        landed_keys.request_id
    from landed_keys
    left join requests
        on
            landed_keys.tool = requests.tool
            and landed_keys.request_id = requests.request_id
    group by landed_keys.tool, landed_keys.request_id
    having count(requests.request_id) <> 1

),

{%- endif %}

totals as (

    select
        (
            select count(*) from requests
            where requests.is_model_call
        ) as enriched_requests,
        operations.requests as operations_requests,
        trust.requests as trust_requests
    from operations
    cross join trust

)

select
    failures.failure,
    failures.tool,
    failures.request_id
from failures
union all
select
    'marts do not add up to int_requests_enriched' as failure,
    null as tool,
    null as request_id
from totals
where
    totals.enriched_requests <> totals.operations_requests
    or totals.enriched_requests <> totals.trust_requests
