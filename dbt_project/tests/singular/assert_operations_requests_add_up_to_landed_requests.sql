{#
    Every request is counted exactly once (nothing lost, nothing doubled):
    - every request with a landed version on a day the latest build logged
      (late and corrected requests included) is in int_requests_enriched,
      once; a full build logs every day, so it checks every request, and an
      incremental build checks what it rebuilt at a cost that follows it;
    - fct_operations_weekly and fct_trust_weekly add up to
      int_requests_enriched.
#}
with

batch_days as (

    select * from {{ ref('int_batch_changes_logged') }}

),

request_versions as (

    select * from {{ ref('stg_landing__request_versions') }}

),

requests as (

    select * from {{ ref('int_requests_enriched') }}

),

operations as (

    select coalesce(sum(requests), 0) as requests from {{ ref('fct_operations_weekly') }}

),

trust as (

    select coalesce(sum(requests), 0) as requests from {{ ref('fct_trust_weekly') }}

),

latest_days as (

    select distinct batch_days.event_date
    from batch_days
    where
        batch_days.entity = 'requests'
        and batch_days.logged_at = (
            select max(latest.logged_at) from batch_days as latest
            where latest.entity = 'requests'
        )

),

landed_keys as (

    select distinct request_versions.tool, request_versions.request_id
    from request_versions
    inner join latest_days
        on request_versions.request_date = latest_days.event_date

),

counted as (

    select
        landed_keys.tool,
        landed_keys.request_id,
        count(requests.request_id) as times_counted
    from landed_keys
    left join requests
        on
            landed_keys.tool = requests.tool
            and landed_keys.request_id = requests.request_id
    group by 1, 2

),

totals as (

    select
        (select count(*) from requests) as enriched_requests,
        operations.requests as operations_requests,
        trust.requests as trust_requests
    from operations
    cross join trust

)

select
    {{ dbt.concat([
        "'request counted '",
        dbt.cast('counted.times_counted', dbt.type_string()),
        "' times'",
    ]) }} as failure,
    counted.tool,
    counted.request_id
from counted
where counted.times_counted <> 1
union all
select
    'marts do not add up to int_requests_enriched' as failure,
    null as tool,
    null as request_id
from totals
where
    totals.enriched_requests <> totals.operations_requests
    or totals.enriched_requests <> totals.trust_requests
