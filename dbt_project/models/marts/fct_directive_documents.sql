-- One row per legal document cited, per report version.
select
    directive_document_id,
    legal_document_key,
    report_version_id,
    report_id,
    report_status,
    report_date,
    doc_type,
    document_number,
    issuer,
    issued_on,
    evidence,
    char_start,
    char_end
from {{ ref('int_directive_documents_keyed') }}
