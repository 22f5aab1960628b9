-- Figures of current reports that map to no indicator: what the catalogue misses, with the words around them.
select
    mentions.mention_id,
    mentions.report_version_id,
    mentions.report_id,
    mentions.value,
    mentions.figure_kind,
    mentions.figure_text,
    mentions.unmapped_reason,
    mentions.nearby,
    mentions.evidence,
    mentions.char_start,
    mentions.char_end
from {{ ref('stg_extraction__unmapped_mentions') }} as mentions
inner join {{ ref('int_report_versions_classified') }} as versions
    on
        mentions.report_version_id = versions.report_version_id
        and mentions.extractor_version = versions.extractor_version
where versions.report_status = 'current'
