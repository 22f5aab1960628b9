-- Source reports in the report: counts, not a list (dim_report and fct_landing_files hold every file): report
-- versions by status, current reports by year of their date, and rejected files by kind of reason (the 10 most
-- common).
with versions as (
    select * from {{ ref('dim_report') }}
),

files as (
    select * from {{ ref('fct_landing_files') }}
),

counted as (
    select
        1 as topic_order,
        'Report versions by status' as topic,
        report_status as item,
        count(*) as n
    from versions
    group by report_status
    union all
    select
        2 as topic_order,
        'Current reports by year of their date' as topic,
        coalesce(cast(year(report_date) as varchar), 'no date') as item,
        count(*) as n
    from versions
    where report_status = 'current'
    group by year(report_date)
    union all
    select
        3 as topic_order,
        'Rejected files by reason' as topic,
        -- one line per kind of reason: "undecodable: ... (byte 61)" and "(byte 19)" are one reason
        regexp_replace(reason, '\s*\(byte \d+\)$', '') as item,
        count(*) as n
    from files
    where status = 'rejected'
    group by item
),

ranked as (
    select
        *,
        row_number() over (partition by topic order by case when topic_order = 2 then 0 else n end desc, item desc)
            as list_position
    from counted
)

select
    topic,
    item,
    cast(n as integer) as n,
    cast(row_number() over (order by topic_order, list_position) as integer) as display_order
from ranked
where list_position <= 10 or topic_order <> 3
