-- One key per legal document across reports: its normalised number (spaces removed, Đ as D, upper case),
-- or, for a document cited without a number, its type, issuer and date.
with refs as (
    select
        refs.*,
        versions.report_status,
        versions.report_date
    from {{ ref('stg_extraction__directive_documents') }} as refs
    inner join {{ ref('int_report_versions_classified') }} as versions
        on
            refs.report_version_id = versions.report_version_id
            and refs.extractor_version = versions.extractor_version
)

select
    *,
    case
        when document_number is not null
            then doc_type || ':' || upper(replace(replace(document_number, ' ', ''), 'Đ', 'D'))
        else doc_type || ':' || coalesce(issuer, '?') || ':' || coalesce(cast(issued_on as varchar), '?')
    end as legal_document_key
from refs
