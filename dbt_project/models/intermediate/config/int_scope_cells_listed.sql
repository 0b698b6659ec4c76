{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per reading scope × cell (CONTRACTS.md §5.3): the cells are the
    portfolio × business-unit pairs of the current configuration, plus one
    `unassigned` portfolio per business unit for usage no use case claims.
    - organisation: every cell;
    - portfolio: its cells (never the unassigned ones);
    - business unit: its cells, the unassigned one included;
    - portfolio × business unit: the one cell;
    - access: the union of the cells of one principal's access.csv rows (an
      empty id is every one), cell by cell, so two principals with the same
      cells share a scope. Its id is `access:` and a digest of its cells.
    access.csv is optional (CONTRACTS.md §5.2): its latest recorded version.
#}
with

portfolios as (

    select * from {{ ref('stg_config__portfolios') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

access_versions as (

    {{ config_versions('access', {
        'principal': 'string', 'role': 'string',
        'portfolio_id': 'string', 'business_unit_id': 'string',
    }) }}

),

portfolios_listed as (

    select
        portfolios.portfolio_id,
        portfolios.portfolio_name
    from portfolios
    union all
    select
        'unassigned' as portfolio_id,
        'No use case' as portfolio_name

),

cells as (

    select
        portfolios_listed.portfolio_id,
        portfolios_listed.portfolio_name,
        business_units.business_unit_id,
        business_units.business_unit_name
    from portfolios_listed
    cross join business_units

),

access_rows as (

    select
        trim(access_versions.principal) as principal,
        nullif(trim(access_versions.portfolio_id), '') as portfolio_id,
        nullif(trim(access_versions.business_unit_id), '') as business_unit_id
    from access_versions
    where access_versions.config_valid_until_date is null  {#- the latest version #}

),

access_cells as (

    select distinct
        access_rows.principal,
        cells.portfolio_id,
        cells.business_unit_id
    from access_rows
    inner join cells
        on
            coalesce(access_rows.portfolio_id, cells.portfolio_id) = cells.portfolio_id
            and coalesce(access_rows.business_unit_id, cells.business_unit_id)
            = cells.business_unit_id

),

access_signatures as (

    select
        access_cells.principal,
        {{ dbt.listagg(
            dbt.concat(['access_cells.portfolio_id', "'|'", 'access_cells.business_unit_id']),
            "';'",
            'order by access_cells.portfolio_id, access_cells.business_unit_id',
        ) }} as cells_signature
    from access_cells
    group by 1

),

access_scopes as (

    select distinct
        {{ dbt.concat(["'access:'", 'substr(' ~ dbt.hash('access_signatures.cells_signature')
                       ~ ', 1, 16)']) }} as scope_id,
        access_signatures.cells_signature
    from access_signatures

),

final as (

    select
        'organisation' as scope_id,
        'organisation' as scope_kind,
        cells.portfolio_id,
        cells.business_unit_id
    from cells
    union all
    select
        {{ dbt.concat(["'portfolio:'", 'cells.portfolio_id']) }} as scope_id,
        'portfolio' as scope_kind,
        cells.portfolio_id,
        cells.business_unit_id
    from cells
    where cells.portfolio_id <> 'unassigned'
    union all
    select
        {{ dbt.concat(["'business_unit:'", 'cells.business_unit_id']) }} as scope_id,
        'business_unit' as scope_kind,
        cells.portfolio_id,
        cells.business_unit_id
    from cells
    union all
    select
        {{ dbt.concat([
            "'portfolio_business_unit:'", 'cells.portfolio_id', "':'", 'cells.business_unit_id',
        ]) }} as scope_id,
        'portfolio_business_unit' as scope_kind,
        cells.portfolio_id,
        cells.business_unit_id
    from cells
    where cells.portfolio_id <> 'unassigned'
    union all
    select distinct
        access_scopes.scope_id,
        'access' as scope_kind,
        access_cells.portfolio_id,
        access_cells.business_unit_id
    from access_scopes
    inner join access_signatures
        on access_scopes.cells_signature = access_signatures.cells_signature
    inner join access_cells
        on access_signatures.principal = access_cells.principal

)

select * from final
