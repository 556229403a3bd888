{#-
    Counter tests shared by the glitch and duplicated-load rules of dq_account_day_signals. Counters are
    compared in log units of (1 + value), so a fall to zero and a tenfold rise are the same kind of distance.
-#}
{% macro dq_log_ratio(value, reference) -%}
    ln(({{ value }} + 1)::double / ({{ reference }} + 1))
{%- endmacro %}


{#- The value left the reference by at least dq_glitch_ratio (and dq_glitch_min in absolute terms). -#}
{% macro dq_departs(value, reference) -%}
    (
        abs({{ dq_log_ratio(value, reference) }}) >= ln({{ var('dq_glitch_ratio') }})
        and abs({{ value }} - {{ reference }}) >= {{ var('dq_glitch_min') }}
    )
{%- endmacro %}


{#- The value came back: within a quarter of the departure's distance from the reference. -#}
{% macro dq_returns(value, reference, departed) -%}
    (
        abs({{ dq_log_ratio(value, reference) }})
        <= {{ var('dq_glitch_return_share') }} * abs({{ dq_log_ratio(departed, reference) }})
    )
{%- endmacro %}


{#-
    Rows (1 to 3) a glitch of `counter` starting on this row lasts: the counter departs from the previous
    row's value, stays away, and the next row after comes back. Null when no glitch starts here.
    Window `account_rows` orders an account's rows by date.
-#}
{% macro dq_glitch_rows(counter) -%}
    case {{ dq_glitch_when(counter, 1) }} {{ dq_glitch_when(counter, 2) }} {{ dq_glitch_when(counter, 3) }} end
{%- endmacro %}


{#- One `when` of dq_glitch_rows, on one line: a glitch of `length` rows. -#}
{% macro dq_glitch_when(counter, length) -%}
    {%- set previous = 'lag(' ~ counter ~ ') over account_rows' -%}
    {%- set back = 'lead(' ~ counter ~ ', ' ~ length ~ ') over account_rows' -%}
    {%- set tests = [dq_departs(counter, previous)] -%}
    {%- for step in range(1, length) -%}
        {%- do tests.append(dq_departs('lead(' ~ counter ~ ', ' ~ step ~ ') over account_rows', previous)) -%}
    {%- endfor -%}
    {%- do tests.append(dq_returns(back, previous, counter)) -%}
    {%- do tests.append(
        'lead(metric_date, ' ~ length ~ ') over account_rows - lag(metric_date) over account_rows <= '
        ~ (7 * (length + 1))
    ) -%}
    when {{ tests | join(' and ') | replace('\n', ' ') }} then {{ length }}
{%- endmacro %}


{#-
    Spread of a log audience: the robust spread (1.4826 x MAD) of its deviations, at least the Poisson noise of
    the expected count (1 / sqrt(1 + expected)) and dq_audience_min_spread.
-#}
{% macro dq_log_spread(mad, expected_log) -%}
    greatest(
        1.4826 * coalesce({{ mad }}, 0),
        1 / sqrt(1 + greatest(exp({{ expected_log }}) - 1, 0)),
        {{ var('dq_audience_min_spread') }}
    )
{%- endmacro %}
