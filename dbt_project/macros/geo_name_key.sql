{#- The key a district's or commune's name is matched by in the seed sub_unit_names: the same steps as
    sources/geography/names.py (tests/unit/test_geography.py checks that both give the same key). `loose` drops
    the marks too ("Mèo Vạc" → exact "mèovạc", loose "meovac"). -#}
{% macro geo_name_key(column, loose=false) -%}
    {%- set lower = 'a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ' -%}
    {%- set placements = [
        ('òa', 'oà'), ('óa', 'oá'), ('ỏa', 'oả'), ('õa', 'oã'), ('ọa', 'oạ'),
        ('òe', 'oè'), ('óe', 'oé'), ('ỏe', 'oẻ'), ('õe', 'oẽ'), ('ọe', 'oẹ'),
        ('ùy', 'uỳ'), ('úy', 'uý'), ('ủy', 'uỷ'), ('ũy', 'uỹ'), ('ụy', 'uỵ'),
    ] -%}
    {%- set text = "nfc_normalize(" ~ column ~ ")" -%}
    {%- set wide_spaces = '[\\x{00a0}\\x{2000}-\\x{200b}\\x{202f}\\x{205f}\\x{3000}]' -%}
    {%- set unit_word = '^\\s*(?:(?:thành phố|thị xã|thị trấn|đặc khu|huyện|quận|phường|xã|tp)[.\\s]+'
        ~ '|(?:tx|tt|q|p|h)\\.\\s*)' -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '" ~ wide_spaces ~ "', ' ', 'g')" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '([^\\s-])-[" ~ lower ~ "].*$', '\\1')" -%}
    {%- set text = "lower(" ~ text ~ ")" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '" ~ unit_word ~ "', '')" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '\\s*\\(?\\s*cũ\\s*\\)?\\s*$', '')" -%}
    {%- set placed_text = namespace(sql=text) -%}  {#- a plain `set` in a loop does not outlive the loop -#}
    {%- for written, placed in placements -%}
        {%- set placed_text.sql = "replace(" ~ placed_text.sql ~ ", '" ~ written ~ "', '" ~ placed ~ "')" -%}
    {%- endfor -%}
    {%- set text = placed_text.sql -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '(^|[^0-9])0+([0-9])', '\\1\\2', 'g')" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", '[^0-9" ~ lower ~ "]+', '', 'g')" -%}
    {%- if loose -%}
        {%- set text = "replace(strip_accents(" ~ text ~ "), 'đ', 'd')" -%}
    {%- endif -%}
    nullif({{ text }}, '')
{%- endmacro %}
