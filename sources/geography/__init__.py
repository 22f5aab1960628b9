"""Districts and communes: official codes for the names reports give, before and after the 2025 reorganisation.

The reference comes from the `vietnamadminunits` package (GSO codes of the 63 provincial units' districts and
communes, the 34 units' communes, and which old commune went into which new one). It is not read at run time:
`python -m sources.geography.build` writes it into two seeds in `sources/catalog` (`sub_units.csv`,
`sub_unit_names.csv`), and dbt matches names against them (`int_sub_unit_names_resolved`).

- `names.py`: the key a name is matched by ("huyện Mèo Vạc", "Meo Vac" and "MÈO VẠC" share one).
- `build.py`: the package's data → the two seeds (and `--check`: do the seeds still match the package?).
- `resolve.py`: a name of a report → its unit, from the seeds (what the dbt model does, for Python callers).
"""
