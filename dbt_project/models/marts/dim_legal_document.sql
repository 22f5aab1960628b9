-- One row per legal document, deduplicated across reports by number and issuer.
select
    legal_document_key,
    min(doc_type) as doc_type,
    min(document_number) as document_number,
    min(issuer) as issuer,
    min(issued_on) as issued_on,
    min(report_date) as first_cited_on,
    cast(count(distinct report_id) as integer) as n_reports_citing
from {{ ref('int_directive_documents_keyed') }}
where report_status = 'current'
group by legal_document_key
