"""Asset checks that are not dbt tests: the Great Expectations rules, one check per rule."""
