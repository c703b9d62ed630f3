"""The deliveries' JSON API (django-ninja): each part mounts its own router here."""

from __future__ import annotations

from ninja import Router

from gendan.logistics.api_booking import router as booking_router
from gendan.logistics.api_calls import router as calls_router
from gendan.logistics.api_carriers import router as carriers_router
from gendan.logistics.api_driver import router as driver_router
from gendan.logistics.api_failures import router as failures_router
from gendan.logistics.api_fleet import router as fleet_router
from gendan.logistics.api_plans import router as plans_router

router = Router(tags=["logistics"])
router.add_router("", booking_router)  # Part B: bookings, the days' load (O-41, O-42)
router.add_router("", fleet_router)  # Part A: trucks, drivers, zones (O-45)
router.add_router("", calls_router)  # Part E: the call list of the day before (O-43)
router.add_router("", plans_router)  # Part D: the day's route plan (O-43, O-45)
router.add_router("", carriers_router)  # Part H: outside carriers, their freight (O-23, O-21)
router.add_router("", failures_router)  # Part G: failed deliveries followed up (O-44)
router.add_router("", driver_router)  # Part F: the driver's phone, the sheets (O-21, O-22)
