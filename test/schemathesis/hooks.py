"""
Generation hooks for the API's conformance run (issue 34, test/openapi-conformance.e2e.test.ts): the few rules
no JSON Schema can say, applied to values the schema already allows, so that a schema-valid request is one the
service should take. A value outside the schema is left as generated: it is the fuzzer's negative case.

- an IIN's twelfth digit is a check digit of the first eleven (domain/iin.ts);
- `submittedAt` lies within the service's clock bounds (SUBMISSION_MAX_DELAY behind, 5 minutes ahead);
- an academic year is two consecutive years, within the campaign window (R10): the current one;
- an Idempotency-Key or X-Request-Id names one request: a key reused for another body is refused by design (422).
"""
import re
import uuid
from datetime import datetime, timezone

import schemathesis

FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
# Any 12 digits with a valid check digit; used when no digit makes the generated eleven valid.
VALID_IIN = "850101400011"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def iin_check_digit(first11: str):
    digits = [int(c) for c in first11]
    remainder = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS)) % 11
    if remainder == 10:
        remainder = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS)) % 11
    return None if remainder == 10 else remainder


def valid_iin(iin: str) -> str:
    check = iin_check_digit(iin[:11])
    return VALID_IIN if check is None else iin[:11] + str(check)


def current_academic_year(now: datetime) -> str:
    start = now.year if now.month >= 9 else now.year - 1
    return f"{start}-{start + 1}"


def fit_body(body, now):
    """The body with the values the schema allows made ones the service should take."""
    iin = body.get("iin")
    if isinstance(iin, str) and re.fullmatch(r"[0-9]{12}", iin):
        body["iin"] = valid_iin(iin)
    at = body.get("submittedAt")
    if isinstance(at, str) and DATE_TIME.match(at):
        body["submittedAt"] = now.isoformat(timespec="seconds")
    year = body.get("academicYear")
    if isinstance(year, str) and re.fullmatch(r"[0-9]{4}-[0-9]{4}", year):
        body["academicYear"] = current_academic_year(now)


def fit_headers(headers):
    """A fresh idempotency key for each request whose key the schema allows."""
    for name in ("Idempotency-Key", "X-Request-Id"):
        value = headers.get(name)
        if isinstance(value, str) and re.fullmatch(r"[!-~]{1,200}", value):
            headers[name] = str(uuid.uuid4())


# `map_case`: the one hook every phase applies (the coverage phase takes no per-part `map_body`).
@schemathesis.hook
def map_case(context, case):
    if isinstance(case.body, dict):
        fit_body(case.body, datetime.now(timezone.utc))
    if isinstance(case.headers, dict):
        fit_headers(case.headers)
    return case
