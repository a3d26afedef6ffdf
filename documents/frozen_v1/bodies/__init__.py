"""Each report kind's body as data, written like the seeds: the numbered lists of seed 000 for
key tasks, the paragraphs of seeds 003/004 with each figure and its comparison for foreign affairs,
the sections of seed 002 for emulation, the sentence of seed 004 for assigned tasks.

Only the report's content is read (its figures, lists and `notes`), so a document can always be
written again from an issued report's content. Free text comes from `notes` ({section: text}):
`kinh_gui` (addressees, one a line), `mo_dau` (the opening paragraph), `ket_luan` (the closing
sentence), and the sections of SECTION_TITLES, each where the seeds put it; any other section
follows the body under its own name.

One module per report kind (`key_tasks`, `assigned_tasks`, `foreign_affairs`, `emulation`,
`registers`); `common` holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from documents.frozen_v1.bodies.assigned_tasks import assigned_tasks
from documents.frozen_v1.bodies.common import Body
from documents.frozen_v1.bodies.emulation import emulation
from documents.frozen_v1.bodies.foreign_affairs import foreign_affairs
from documents.frozen_v1.bodies.key_tasks import key_tasks
from documents.frozen_v1.bodies.registers import award_irregular, award_register
from documents.official.document import Organisation

BODIES: dict[str, Callable[[dict[str, Any], Organisation], Body]] = {
    "key-tasks": key_tasks,
    "assigned-tasks": assigned_tasks,
    "foreign-affairs": foreign_affairs,
    "emulation": emulation,
    "award-register": award_register,
    "award-irregular": award_irregular,
}


def body_of(content: dict[str, Any], org: Organisation) -> Body:
    """The body of a report's content, by its kind (every format version the builders keep)."""
    kind = content["report"]
    if kind not in BODIES:
        raise KeyError(f"không có mẫu văn bản cho loại báo cáo {kind!r}")
    return BODIES[kind](content, org)


__all__ = ["BODIES", "Body", "body_of"]
