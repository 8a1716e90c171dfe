"""Bulk import of users from a CSV file as Excel saves it: every row is checked first, then all are stored or none.

Excel writes "CSV UTF-8" with a byte-order mark and plain "CSV" in the system's code page (GBK on Chinese
Windows), with commas, or semicolons in some locales. Headers may be English or Chinese.
"""

import csv
import io

from sqlmodel import Session, col, select

from app.accounts import create_user
from app.auth.policy import managed_team_ids
from app.models import Role, Team, User
from app.users.schemas import ImportReport, ImportRowReport
from app.users.service import check_username, one_time_password

MAX_IMPORT_ROWS = 500

HEADERS = {
    "username": ("username", "login", "用户名", "账号", "登录名"),
    "display_name": ("display_name", "name", "姓名", "显示名", "名字"),
    "role": ("role", "角色"),
    "team": ("team", "团队", "小组", "组"),
    "password": ("password", "密码"),
}
ROLE_WORDS = {
    "": Role.rep,
    "rep": Role.rep,
    "sales rep": Role.rep,
    "销售": Role.rep,
    "销售代表": Role.rep,
    "manager": Role.manager,
    "经理": Role.manager,
    "销售经理": Role.manager,
    "admin": Role.admin,
    "管理员": Role.admin,
}


class ImportRejected(Exception):
    """The file cannot be imported; `report` says which rows are wrong and why, and nothing was stored."""

    def __init__(self, report: ImportReport, code: str = "rows_invalid") -> None:
        super().__init__(code)
        self.report = report
        self.code = code


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030 (a superset of GBK, Excel's plain CSV in China)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _rows(text: str) -> tuple[list[str] | None, list[list[str]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    return (lines[0], lines[1:]) if lines else (None, [])


def _columns(header: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    return {field: names.index(alias) for field, aliases in HEADERS.items() for alias in aliases if alias in names}


def import_users(session: Session, viewer: User, data: bytes) -> ImportReport:
    """Check every row, then create every user in one transaction; ImportRejected (nothing stored) otherwise."""
    header, lines = _rows(decode(data))
    columns = _columns(header or [])
    if "username" not in columns:
        raise ImportRejected(ImportReport(created=0, rows=[]), code="no_username_column")
    if not lines or len(lines) > MAX_IMPORT_ROWS:
        raise ImportRejected(ImportReport(created=0, rows=[]), code="row_count")

    is_admin = viewer.role == Role.admin
    teams = {team.name: team for team in session.exec(select(Team))}
    mine = managed_team_ids(session, viewer)
    wanted = [_cell(line, columns, "username") for line in lines]
    taken = set(session.exec(select(User.username).where(col(User.username).in_(wanted))))
    seen: set[str] = set()
    rows: list[ImportRowReport] = []
    for number, line in enumerate(lines, start=2):  # line 1 is the header
        row = ImportRowReport(
            line=number,
            username=_cell(line, columns, "username"),
            role=_cell(line, columns, "role"),
            team=_cell(line, columns, "team"),
        )
        row.errors = _row_errors(row, _cell(line, columns, "password"), is_admin, teams, mine, taken, seen)
        seen.add(row.username)
        rows.append(row)
    if any(row.errors for row in rows):
        raise ImportRejected(ImportReport(created=0, rows=rows))

    try:
        for row, line in zip(rows, lines, strict=True):
            password = _cell(line, columns, "password")
            if not password:
                password = row.one_time_password = one_time_password()
            user = create_user(
                session,
                row.username,
                password,
                ROLE_WORDS[row.role.lower()],
                row.team or None,
                _cell(line, columns, "display_name")[:80],
                must_change_password=True,
                commit=False,
            )
            row.user_id = user.id
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportReport(created=len(rows), rows=rows)


def _cell(line: list[str], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    return line[index].strip() if index is not None and index < len(line) else ""


def _row_errors(
    row: ImportRowReport,
    password: str,
    is_admin: bool,
    teams: dict[str, Team],
    mine: set[int],
    taken: set[str],
    seen: set[str],
) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    if not 2 <= len(row.username) <= 40 or check_username(row.username):
        errors.append({"code": "bad_username"})
    elif row.username in taken:
        errors.append({"code": "username_taken"})
    elif row.username in seen:
        errors.append({"code": "username_twice"})
    role = ROLE_WORDS.get(row.role.lower())
    if role is None:
        errors.append({"code": "bad_role", "role": row.role})
    elif not is_admin and role != Role.rep:
        errors.append({"code": "role_forbidden"})
    if len(row.team) > 80:
        errors.append({"code": "bad_team"})
    elif not is_admin:  # managers import reps into their own teams only; admins may name new teams
        team = teams.get(row.team)
        if team is None or team.id not in mine:
            errors.append({"code": "team_not_yours", "team": row.team})
    if password and not 8 <= len(password) <= 256:
        errors.append({"code": "short_password"})
    return errors
