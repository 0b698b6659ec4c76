{#
    One row per agent run, an `invoke_agent` span (CONTRACTS.md §5.3): the
    runs int_agent_runs_attributed attributed (its header gives each rule).
#}
with

runs as (

    select * from {{ ref('int_agent_runs_attributed') }}

),

final as (

    select * from runs

)

select * from final
