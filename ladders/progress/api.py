"""The progression API: observations, feedback requests, certified milestones, a person's
progress and what-if scoring, the team heatmap and the manager's dashboard. Each area is its own
module; this router mounts them all."""

from ninja import Router

from .api_attainments import router as attainments_router
from .api_feedback import router as feedback_router
from .api_observations import router as observations_router
from .api_progress import router as progress_router

# each area keeps its own tag (a mount's tags replace the ones inherited from this router)
router = Router(tags=["observations", "feedback", "attainments", "progress"])
router.add_router("", observations_router, tags=["observations"])
router.add_router("", feedback_router, tags=["feedback"])
router.add_router("", attainments_router, tags=["attainments"])
router.add_router("", progress_router, tags=["progress"])
