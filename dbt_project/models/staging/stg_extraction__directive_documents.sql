select
    {{ fact_id('report_version_id', 'd', 'seq', 3) }} as directive_document_id,
    report_version_id,
    report_id,
    file_hash,
    extractor_version,
    doc_type,
    number as document_number,
    {{ printable('issuer', one_line=true) }} as issuer,
    try_cast(issued_on as date) as issued_on,
    {{ printable('evidence') }} as evidence,
    char_start,
    char_end
from {{ source('extraction', 'directive_documents') }}
