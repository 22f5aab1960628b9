{#-
    Start, end and grain of a contract period label: '2024', '2024-H1', '2024-Q3', '2024-10', '2024-10-23'.
    A month label is also how reports state cumulative figures ("10 tháng đầu năm 2023" → 2023-10).
-#}
{% macro period_start(label) -%}
    case
        when {{ label }} similar to '[0-9]{4}' then make_date(cast({{ label }} as integer), 1, 1)
        when {{ label }} similar to '[0-9]{4}-H[12]'
            then make_date(cast(left({{ label }}, 4) as integer), case when right({{ label }}, 1) = '1' then 1 else 7 end, 1)
        when {{ label }} similar to '[0-9]{4}-Q[1-4]'
            then make_date(cast(left({{ label }}, 4) as integer), cast(right({{ label }}, 1) as integer) * 3 - 2, 1)
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}' then try_cast({{ label }} || '-01' as date)
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}' then try_cast({{ label }} as date)
    end
{%- endmacro %}

{% macro period_end(label) -%}
    case
        when {{ label }} similar to '[0-9]{4}' then make_date(cast({{ label }} as integer), 12, 31)
        when {{ label }} similar to '[0-9]{4}-H[12]'
            then make_date(cast(left({{ label }}, 4) as integer), case when right({{ label }}, 1) = '1' then 6 else 12 end,
                           case when right({{ label }}, 1) = '1' then 30 else 31 end)
        when {{ label }} similar to '[0-9]{4}-Q[1-4]'
            then last_day(make_date(cast(left({{ label }}, 4) as integer), cast(right({{ label }}, 1) as integer) * 3, 1))
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}' then last_day(try_cast({{ label }} || '-01' as date))
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}' then try_cast({{ label }} as date)
    end
{%- endmacro %}

{% macro period_grain(label) -%}
    case
        when {{ label }} similar to '[0-9]{4}' then 'year'
        when {{ label }} similar to '[0-9]{4}-H[12]' then 'half'
        when {{ label }} similar to '[0-9]{4}-Q[1-4]' then 'quarter'
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}' then 'month'
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}' then 'day'
    end
{%- endmacro %}

{#- Higher is more specific: a day beats a month beats a quarter beats a half beats a year. -#}
{% macro period_specificity(label) -%}
    case
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}' then 5
        when {{ label }} similar to '[0-9]{4}-[0-9]{2}' then 4
        when {{ label }} similar to '[0-9]{4}-Q[1-4]' then 3
        when {{ label }} similar to '[0-9]{4}-H[12]' then 2
        when {{ label }} similar to '[0-9]{4}' then 1
        else 0
    end
{%- endmacro %}
