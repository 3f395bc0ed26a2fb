"""The frameworks part of the REST API: reading frameworks and their versions (any member),
and installing, editing and publishing them (framework editors and organisation admins).

The drafts router goes first: its fixed paths (`/frameworks/install`, `/frameworks/drafts`) must
be matched before `/frameworks/{key}`. Those words are reserved, so no framework has them as key.
"""

from ninja import Router

from . import api_drafts, api_read

router = Router(tags=["frameworks"])
router.add_router("", api_drafts.router)
router.add_router("", api_read.router)
