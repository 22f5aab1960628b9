{#- The columns together identify a row: no two rows share them, and none of them is null (a key with a null
    part identifies nothing; `group by` would put such rows in one group and let a duplicate pass). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1 or {{ columns | join(' is null or ') }} is null
{% endtest %}
