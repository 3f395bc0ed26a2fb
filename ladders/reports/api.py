"""The reports app's API router: framework health, reports and promotion packets.
Each part keeps its own sub-router in its own module."""

from ninja import Router

from . import api_calibration, api_distribution, api_health, api_packet

router = Router()
router.add_router("", api_health.router)
router.add_router("", api_distribution.router)
router.add_router("", api_calibration.router)
router.add_router("", api_packet.router)
