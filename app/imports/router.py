"""Bulk import: the column templates, the upload, and the progress of a large import."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from app.auth.dependencies import PrincipalDep, SettingsDep
from app.core.enums import ImportKind
from app.core.pagination import CREATED, set_location
from app.core.problems import PROBLEM_MEDIA_TYPE, problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.imports import jobs, service
from app.imports.dependencies import VisibleJobDep
from app.imports.kinds import KINDS
from app.imports.schemas import ImportJobRead, ImportProblem, ImportReport
from app.listings import service as listings
from app.tabular.reading import FileFormat, check_size, file_format, read_sheet, spreadsheet_responses
from app.tabular.templates import template_csv, template_xlsx

router = APIRouter(prefix="/imports", tags=["imports"])

_TEMPLATE_RESPONSES = spreadsheet_responses(
    "The column template: the header row (and in XLSX, notes and drop-down lists)"
)
_IMPORT_RESPONSES = {
    **problem_responses(401, 403, 404, 413, 415, 500),
    201: {
        "description": "Imported (or skipped as imported before): every row; `Location` is the import",
        "model": ImportJobRead,
        "headers": CREATED[201]["headers"],
    },
    202: {"description": "A large file: imported in the background; follow Location", "model": ImportJobRead},
    422: {
        "description": "Invalid form, unreadable file, or row errors (`row_errors`; nothing was imported)",
        "model": ImportProblem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ImportProblem"}}},
    },
}


@router.get(
    "/templates/{kind}",
    operation_id="get_import_template",
    response_class=Response,
    responses={**_TEMPLATE_RESPONSES, **problem_responses(422, 500)},
)
async def get_import_template(
    kind: ImportKind,
    template_format: Annotated[
        FileFormat, Query(alias="format", description="xlsx or csv")
    ] = FileFormat.XLSX,
) -> Response:
    """The import template of demands or achievements (Chinese headers; English keys are accepted too)."""
    spec = KINDS[kind].spec
    if template_format is FileFormat.CSV:
        content = template_csv(spec)
    else:
        content = await run_in_threadpool(template_xlsx, spec)
    disposition = f'attachment; filename="{kind.value}-template.{template_format.value}"'
    return Response(
        content, media_type=template_format.media_type, headers={"Content-Disposition": disposition}
    )


@router.post("", operation_id="create_import", responses=_IMPORT_RESPONSES)
async def create_import(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    response: Response,
    kind: Annotated[ImportKind, Form()],
    organization_id: Annotated[EntityId, Form(description="The owning organization; you must be its member")],
    file: Annotated[UploadFile, File(description=".xlsx or .csv (UTF-8, or GBK), laid out as the template")],
    dry_run: Annotated[bool, Form(description="Check every row and report, writing nothing")] = False,
) -> ImportReport | ImportJobRead:
    """Import a file: all rows or none. A dry run reports every row error; a large file runs as a job."""
    await listings.posting_organization(session, principal, organization_id)
    data = await file.read(settings.import_max_bytes + 1)
    check_size(len(data), settings.import_max_bytes)
    fmt = file_format(file.filename, file.content_type)
    sheet = await run_in_threadpool(partial(read_sheet, data, fmt, max_rows=settings.import_max_rows))
    headers_fine = not KINDS[kind].spec.match_headers(sheet.headers, sheet.header_row).errors
    upload = jobs.Upload(
        kind=kind,
        organization_id=organization_id,
        file_name=file.filename or f"upload.{fmt.value}",
        file_format=fmt,
        content=data,
        total_rows=len(sheet.rows),
        dry_run=dry_run,
    )
    if headers_fine and len(sheet.rows) > settings.import_job_threshold_rows:
        job = await jobs.enqueue_import(session, principal, upload)
        response.status_code = status.HTTP_202_ACCEPTED
        set_location(request, response, "get_import", job_id=job.id)
        return ImportJobRead.model_validate(job)
    result = await service.run(
        session,
        principal,
        kind,
        organization_id,
        sheet,
        dry_run=dry_run,
        max_errors=settings.import_max_errors,
    )
    if dry_run:
        return result
    imported = await jobs.record_imported(session, principal, upload, result)
    response.status_code = status.HTTP_201_CREATED
    set_location(request, response, "get_import", job_id=imported.id)
    return ImportJobRead.model_validate(imported)


@router.get("/{job_id}", operation_id="get_import", responses=problem_responses(401, 404, 422, 500))
async def get_import(job: VisibleJobDep) -> ImportJobRead:
    """A background import's progress and outcome (only for its organization)."""
    return ImportJobRead.model_validate(job)
