{#
    Statistics that the effects (fct_kpi_effects, CONTRACTS.md §5.4) need and
    that DuckDB and Spark do not share: Student's t quantiles.
#}

{#
    t(0.975, df): the two-sided 95% critical value of Student's t with df
    degrees of freedom, as rows (df_low, df_high, t_critical): every df from
    1 to 100, then 120, 150, 200, 300, 500, 1000, 2000, 5000 and 10000, each
    row covering the whole degrees of freedom from its df_low up to the next
    row's (df_high, exclusive; null for the last). A df between two tabled
    values takes the smaller one's t, which is the larger: the interval is a
    little wider, never narrower (at most 0.0002 wider above 10,000, where
    t(0.975, 10000) = 1.9602 and the normal quantile is 1.95996). Values to 9
    decimals, computed from the regularised incomplete beta function; check:
    t(1) = 12.706204736, t(2) = 4.302652730, t(10) = 2.228138852, t(30) =
    2.042272456, t(100) = 1.983971519.
#}
{% macro student_t_critical_values() -%}
    {%- set t975 = [
        (1, 12.706204736), (2, 4.302652730), (3, 3.182446305), (4, 2.776445105),
        (5, 2.570581836), (6, 2.446911851), (7, 2.364624252), (8, 2.306004135),
        (9, 2.262157163), (10, 2.228138852), (11, 2.200985160), (12, 2.178812830),
        (13, 2.160368656), (14, 2.144786688), (15, 2.131449546), (16, 2.119905299),
        (17, 2.109815578), (18, 2.100922040), (19, 2.093024054), (20, 2.085963447),
        (21, 2.079613845), (22, 2.073873068), (23, 2.068657610), (24, 2.063898562),
        (25, 2.059538553), (26, 2.055529439), (27, 2.051830516), (28, 2.048407142),
        (29, 2.045229642), (30, 2.042272456), (31, 2.039513446), (32, 2.036933343),
        (33, 2.034515297), (34, 2.032244509), (35, 2.030107928), (36, 2.028094001),
        (37, 2.026192463), (38, 2.024394164), (39, 2.022690920), (40, 2.021075390),
        (41, 2.019540970), (42, 2.018081703), (43, 2.016692199), (44, 2.015367574),
        (45, 2.014103389), (46, 2.012895599), (47, 2.011740514), (48, 2.010634758),
        (49, 2.009575237), (50, 2.008559112), (51, 2.007583770), (52, 2.006646805),
        (53, 2.005745995), (54, 2.004879288), (55, 2.004044783), (56, 2.003240719),
        (57, 2.002465459), (58, 2.001717484), (59, 2.000995378), (60, 2.000297822),
        (61, 1.999623585), (62, 1.998971517), (63, 1.998340543), (64, 1.997729654),
        (65, 1.997137908), (66, 1.996564419), (67, 1.996008354), (68, 1.995468931),
        (69, 1.994945415), (70, 1.994437112), (71, 1.993943368), (72, 1.993463567),
        (73, 1.992997126), (74, 1.992543495), (75, 1.992102154), (76, 1.991672610),
        (77, 1.991254395), (78, 1.990847069), (79, 1.990450210), (80, 1.990063421),
        (81, 1.989686323), (82, 1.989318557), (83, 1.988959780), (84, 1.988609667),
        (85, 1.988267907), (86, 1.987934206), (87, 1.987608282), (88, 1.987289865),
        (89, 1.986978700), (90, 1.986674541), (91, 1.986377154), (92, 1.986086317),
        (93, 1.985801814), (94, 1.985523442), (95, 1.985251004), (96, 1.984984312),
        (97, 1.984723186), (98, 1.984467455), (99, 1.984216952), (100, 1.983971519),
        (120, 1.979930405), (150, 1.975905331), (200, 1.971896224), (300, 1.967903011),
        (500, 1.964719837), (1000, 1.962339081), (2000, 1.961150826), (5000, 1.960438552),
        (10000, 1.960201240)
    ] %}
    {%- for df, t_critical in t975 %}
    select
        {{ df }} as df_low,
        {% if loop.last -%}
        cast(null as {{ dbt.type_int() }})
        {%- else -%}
        {{ t975[loop.index][0] }}
        {%- endif %} as df_high,
        cast({{ t_critical }} as {{ type_double() }}) as t_critical
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    A number as text with `decimals` (an expression: 0, 1 or 2) decimals,
    rounded half away from zero, the same on DuckDB and Spark (through a
    decimal: a double's text differs between them, 1.0E7 against 10000000.0).
    The double is first taken to 9 decimals, so that a value on a tie reads
    the same whatever order its sums were added in: 43.895 − 41.37 is
    2.5249999999999986 or 2.5250000000000057 by that order, 2.53 either way.
#}
{% macro effect_number(expression, decimals) -%}
    case {{ decimals }}
        {%- for places in [0, 1, 2] %}
        {{ "when " ~ places if not loop.last else "else" }}{{ " then" if not loop.last }}
            cast(
                cast(
                    round(cast({{ expression }} as decimal(38, 9)), {{ places }})
                    as decimal(38, {{ places }})
                )
                as {{ dbt.type_string() }}
            )
        {%- endfor %}
    end
{%- endmacro %}
