{%- set window_days = 30 %}
-- Deadlines in the report, relative to the as-of date: instructions of current (or withdrawn, never superseded)
-- report versions due within the next 30 days, and overdue ones. Shown: the 10 due soonest and the 10 most
-- recently overdue; the n_* columns count them all (fct_instructions holds every one).
with instructions as (
    select
        *,
        cast(deadline_date - {{ as_of_date() }} as integer) as days_left
    from {{ ref('fct_instructions') }}
    where report_status <> 'superseded'
),

due as (
    select
        *,
        case when days_left < 0 then 'overdue' else 'due' end as due_status,
        row_number() over (
            partition by days_left < 0
            order by case when days_left < 0 then -days_left else days_left end, instruction_id
        ) as list_position
    from instructions
    where days_left <= {{ window_days }}
),

totals as (
    select
        cast(count(*) as integer) as n_instructions,
        cast(count(*) filter (where deadline_date is null) as integer) as n_undated,
        cast(count(*) filter (where days_left between 0 and {{ window_days }}) as integer) as n_due,
        cast(count(*) filter (where days_left < 0) as integer) as n_overdue
    from instructions
)

select
    due.instruction_id,
    due.report_version_id,
    due.report_id,
    due.report_status,
    reports.title as report_title,
    due.geo_key,
    due.geo_display_name,
    due.issued_by,
    due.assignees,
    due.action,
    due.deadline_label,
    due.deadline_date,
    {{ as_of_date() }} as as_of_date,
    due.days_left,
    due.due_status,
    due.evidence,
    {{ window_days }} as window_days,
    totals.n_instructions,
    totals.n_undated,
    totals.n_due,
    totals.n_overdue,
    cast(row_number() over (order by due.days_left < 0, due.list_position) as integer) as display_order
from due
cross join totals
left join {{ ref('dim_report') }} as reports on due.report_version_id = reports.report_version_id
where due.list_position <= 10
