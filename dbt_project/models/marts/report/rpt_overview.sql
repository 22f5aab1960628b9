-- The report's header: one row of totals, as of the warehouse's as-of date.
with reports as (
    select
        cast(count(*) filter (where report_status = 'current') as integer) as n_reports,
        cast(count(*) filter (where report_status = 'withdrawn') as integer) as n_reports_withdrawn,
        min(report_date) filter (where report_status = 'current') as first_report_date,
        max(report_date) filter (where report_status = 'current') as last_report_date
    from {{ ref('dim_report') }}
),

files as (
    select cast(count(*) filter (where status = 'rejected') as integer) as n_files_rejected
    from {{ ref('fct_landing_files') }}
),

places as (
    select cast(count(distinct geo_key) filter (where geo_level = 'province') as integer) as n_provinces
    from {{ ref('fct_indicator_values') }}
),

figures as (
    select
        cast(count(*) as integer) as n_figures,
        cast(count(*) filter (where is_quarantined) as integer) as n_figures_quarantined
    from {{ ref('fct_indicator_observations') }}
    where report_status = 'current'
),

instructions as (
    select cast(count(*) as integer) as n_instructions
    from {{ ref('fct_instructions') }}
    where report_status = 'current'
)

select
    {{ as_of_date() }} as as_of_date,
    reports.n_reports,
    reports.n_reports_withdrawn,
    reports.first_report_date,
    reports.last_report_date,
    files.n_files_rejected,
    places.n_provinces,
    figures.n_figures,
    figures.n_figures_quarantined,
    instructions.n_instructions
from reports, files, places, figures, instructions
