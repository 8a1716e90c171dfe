"""The sales methodology as validated data: load playbooks/*.yaml and look elements up by id."""

from app.playbook.loader import PlaybookError, get_playbook, load_playbook
from app.playbook.models import Element, Playbook

__all__ = ["Element", "Playbook", "PlaybookError", "get_playbook", "load_playbook"]
