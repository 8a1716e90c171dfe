"""Parse the knowledge-base Markdown files into citable chunks with stable ids."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# "## 六个步骤总览 {#dragon-steps-overview}" -> level 2, title, id
HEADING_RE = re.compile(r"^(#{1,3})\s+(.+?)\s*\{#([a-z0-9][a-z0-9._-]*)\}\s*$")
ANY_HEADING_RE = re.compile(r"^(#{1,3})\s+\S")
SOURCE_LINE_RE = re.compile(r"^source:\s*(\S+)\s*$", re.IGNORECASE)
# "title_en: Objections and stalls" right under a Chinese heading: its name in the titles of English passages.
TITLE_EN_LINE_RE = re.compile(r"^title_en:\s*(.+?)\s*$", re.IGNORECASE)
CHINESE_RE = re.compile(r"[\u4e00-\u9fff]")
TITLE_SEPARATOR = " › "
LEAD_RE = re.compile(r"^(?:要点[：:]|In short:)\s*(.+)$")
STEP_RE = re.compile(r"^\d+[.、]\s*(.+)$")


@dataclass(frozen=True)
class Chunk:
    """One heading section of the knowledge base; the unit we retrieve and cite."""

    id: str
    title: str  # heading hierarchy, e.g. "摧龙六式 › 第一式 客户分析"
    source: str  # seed document the facts come from, e.g. "001_f8250d52b20618bb.txt"
    file: str  # knowledge file name, e.g. "dragon_six_steps.md"
    text: str  # section body (Markdown), without the heading line
    # A team's uploaded document: its team and human title (the playbook's chunks have neither).
    team_id: int | None = None
    source_title: str = ""

    @property
    def source_kind(self) -> str:
        """ "playbook" for the knowledge base, "team" for a team's own document."""
        return "playbook" if self.team_id is None else "team"


def _split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Read `---` front matter, or a bare `source: x` first line; return (meta, rest)."""
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for end, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                for meta_line in lines[1:end]:
                    key, _, value = meta_line.partition(":")
                    if value:
                        meta[key.strip().lower()] = value.strip()
                return meta, lines[end + 1 :]
        raise ValueError("front matter is not closed with '---'")
    if lines and (match := SOURCE_LINE_RE.match(lines[0].strip())):
        return {"source": match.group(1)}, lines[1:]
    return meta, lines


def parse_markdown(markdown: str, file_name: str) -> list[Chunk]:
    """Split one Markdown document into chunks, one per heading (levels 1-3) with a body.

    Every heading of level 1-3 must carry an explicit `{#id}`; a `source: x` line
    directly inside a section overrides the file's source for that section.
    """
    meta, lines = _split_front_matter(markdown.splitlines())
    file_source = meta.get("source", "")
    chunks: list[Chunk] = []
    trail: list[str] = []  # titles of the open headings, one per level
    trail_en: list[str] = []  # their English names ("" when a Chinese heading has no title_en line)
    current: dict | None = None

    def close_section() -> None:
        if current is None:
            return
        body = "\n".join(current["lines"]).strip()
        if body:
            chunks.append(
                Chunk(
                    id=current["id"],
                    title=_title(current["trail"], trail_en),
                    source=current["source"] or file_source,
                    file=file_name,
                    text=body,
                )
            )

    for line_number, line in enumerate(lines, start=1):
        match = HEADING_RE.match(line)
        if match is None and ANY_HEADING_RE.match(line):
            raise ValueError(f"{file_name}: heading without explicit {{#id}}: {line!r} (body line {line_number})")
        if match:
            close_section()
            level = len(match.group(1))
            heading = match.group(2).strip()
            trail = trail[: level - 1] + [heading]
            trail_en = trail_en[: level - 1] + ["" if CHINESE_RE.search(heading) else heading]
            current = {"id": match.group(3), "trail": list(trail), "source": "", "lines": []}
            continue
        if current is None:
            continue  # text before the first heading carries no id; ignore it
        at_top = not any(text.strip() for text in current["lines"])
        source_match = SOURCE_LINE_RE.match(line.strip())
        if source_match and at_top:
            current["source"] = source_match.group(1)
            continue
        if at_top and (title_match := TITLE_EN_LINE_RE.match(line.strip())):
            trail_en[-1] = title_match.group(1)
            continue
        current["lines"].append(line)
    close_section()
    return chunks


def _title(trail: list[str], trail_en: list[str]) -> str:
    """The heading hierarchy; for an English section, the English names of its parents (Chinese ones left out)."""
    if CHINESE_RE.search(trail[-1]):
        return TITLE_SEPARATOR.join(trail)
    return TITLE_SEPARATOR.join(name for name in trail_en[: len(trail)] if name)


def load_chunks(knowledge_dir: Path, known_sources: Collection[str] | None = None) -> list[Chunk]:
    """Parse every `*.md` file in `knowledge_dir` (sorted by name); ids must be unique, and with
    `known_sources` every chunk's source must be one of them (playbooks/ask/sources.yaml)."""
    chunks: list[Chunk] = []
    for path in sorted(knowledge_dir.glob("*.md")):
        chunks.extend(parse_markdown(path.read_text(encoding="utf-8"), path.name))
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.id in seen:
            raise ValueError(f"duplicate chunk id {chunk.id!r} in {chunk.file}")
        if known_sources is not None and chunk.source not in known_sources:
            raise ValueError(
                f"{chunk.file}: section {chunk.id!r}: source {chunk.source!r} is not listed in "
                "playbooks/ask/sources.yaml"
            )
        seen.add(chunk.id)
    return chunks


def lead_and_steps(text: str) -> tuple[str, list[str]]:
    """A how-to passage's lead (the `要点：` / `In short:` line) and its numbered steps; ("", []) otherwise."""
    lead = ""
    steps: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if match := LEAD_RE.match(stripped):
            lead = match.group(1).strip()
        elif lead and (match := STEP_RE.match(stripped)):
            steps.append(match.group(1).strip())
    return (lead, steps) if lead and steps else ("", [])


def strip_key_terms(text: str) -> str:
    """Body text without the `Key terms:` line (that line is for retrieval, not for reading)."""
    kept = [line for line in text.splitlines() if not line.strip().lower().startswith("key terms:")]
    return "\n".join(kept).strip()


def key_terms_line(text: str) -> str:
    """The `Key terms: ...` line of a chunk body, or an empty string."""
    for line in text.splitlines():
        if line.strip().lower().startswith("key terms:"):
            return line.strip()
    return ""
