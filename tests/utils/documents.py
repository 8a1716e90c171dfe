"""Files for the document-upload tests: a PDF with pages but no text layer (what a scan looks like)."""

import io

from pypdf import PdfWriter

from app.models import Role
from tests.utils.factories import make_user


def blank_pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# A team's product sheet (Markdown) for the scenario editor's document picker and the LLM buyer's product facts.
WMS_PRODUCT_MD = """# 云仓 WMS 产品说明

## 概述
云仓 WMS 是我们的仓储管理系统。我们很高兴为您服务。

## 关键能力
- 波次拣货把拣货路径缩短约 30%。
- 支持 RFID 和 PDA 扫码，盘点误差低于 0.5%。
- 与主流 ERP 对接，标准实施周期六周。

## 联系我们
欢迎咨询。谢谢。
"""


def two_teams(session) -> dict:
    """A manager and a rep of team A组, a rep and a manager of team B组."""
    return {
        "manager": make_user(session, Role.manager, team="A组"),
        "rep": make_user(session, Role.rep, team="A组"),
        "other_rep": make_user(session, Role.rep, team="B组"),
        "other_manager": make_user(session, Role.manager, team="B组"),
    }
