"""The deliveries' pages: each part of the logistics app adds its own lines."""

from django.urls import path

from gendan.logistics import views_booking as booking
from gendan.logistics import views_calls, views_carriers, views_failures, views_plans
from gendan.logistics import views_driver as driver
from gendan.logistics import views_fleet as fleet

urlpatterns: list = [
    # Part B: the orders to book and the bookings in force (O-41); one order's booking (O-42).
    path("bookings/", booking.booking_list_view, name="logistics-bookings"),
    path("bookings/count/", booking.booking_count_view, name="logistics-bookings-count"),
    path("orders/<int:pk>/book/", booking.booking_order_view, name="logistics-order-book"),
    # Part A: the fleet (trucks, drivers) and the zones of each city's districts (O-45).
    path("trucks/", fleet.truck_list_view, name="logistics-trucks"),
    path("trucks/new/", fleet.truck_create_view, name="logistics-truck-create"),
    path("trucks/<int:pk>/", fleet.truck_edit, name="logistics-truck-edit"),
    path("trucks/<int:pk>/deactivate/", fleet.truck_deactivate, name="logistics-truck-deactivate"),
    path("drivers/", fleet.driver_list_view, name="logistics-drivers"),
    path("drivers/new/", fleet.driver_create_view, name="logistics-driver-create"),
    path("drivers/<int:pk>/", fleet.driver_edit, name="logistics-driver-edit"),
    path("zones/", fleet.zone_list, name="logistics-zones"),
    path("zones/set/", fleet.zone_set_view, name="logistics-zone-set"),
    path("zones/<int:pk>/remove/", fleet.zone_remove_view, name="logistics-zone-remove"),
    # Part E: the call list of the day before (O-43), marked told, e-mailed.
    path("calls/", views_calls.calls_tomorrow, name="logistics-calls"),
    path("calls/<str:day>/", views_calls.calls_day, name="logistics-calls-day"),
    path("calls/<str:day>/email/", views_calls.calls_email_view, name="logistics-calls-email"),
    path("drops/<int:pk>/told/", views_calls.call_told, name="logistics-call-told"),
    # Part H: outside carriers (O-23, O-21), their shipments and the freight to pay.
    path("carriers/", views_carriers.carrier_list_view, name="logistics-carriers"),
    path("carriers/new/", views_carriers.carrier_create_view, name="logistics-carrier-create"),
    path("carriers/<int:pk>/", views_carriers.carrier_edit_view, name="logistics-carrier-edit"),
    path("shipments/", views_carriers.shipment_list_view, name="logistics-shipments"),
    path("shipments/book/", views_carriers.shipment_book_view, name="logistics-shipment-book"),
    path("shipments/<int:pk>/", views_carriers.shipment_detail_view, name="logistics-shipment"),
    path(
        "shipments/<int:pk>/status/",
        views_carriers.shipment_status_view,
        name="logistics-shipment-status",
    ),
    path(
        "shipments/<int:pk>/papers/",
        views_carriers.shipment_paper_view,
        name="logistics-shipment-paper",
    ),
    path(
        "shipments/<int:pk>/deliver/",
        views_carriers.shipment_deliver_view,
        name="logistics-shipment-deliver",
    ),
    path(
        "shipments/<int:pk>/pay/", views_carriers.shipment_pay_view, name="logistics-shipment-pay"
    ),
    path("freight/", views_carriers.freight_list_view, name="logistics-freight"),
    # Part D: the day's route plan (O-43, O-45), published to the warehouse's loading runs.
    path("plans/", views_plans.plan_list, name="logistics-plans"),
    path("plans/<str:day>/", views_plans.plan_day, name="logistics-plan-day"),
    path("plans/<str:day>/plan/", views_plans.plan_make_view, name="logistics-plan-make"),
    path("plans/<str:day>/publish/", views_plans.plan_publish_view, name="logistics-plan-publish"),
    path("plans/<str:day>/reopen/", views_plans.plan_reopen_view, name="logistics-plan-reopen"),
    path("drops/<int:pk>/move/", views_plans.drop_move_view, name="logistics-drop-move"),
    path("drops/<int:pk>/pin/", views_plans.drop_pin_view, name="logistics-drop-pin"),
    # Part G: failed deliveries followed up (O-44).
    path("failures/", views_failures.failure_list, name="logistics-failures"),
    path("failures/<int:pk>/", views_failures.failure_detail, name="logistics-failure"),
    path("failures/<int:pk>/photo/", views_failures.failure_photo, name="logistics-failure-photo"),
    path(
        "failures/<int:pk>/goods-back/",
        views_failures.failure_goods_back_view,
        name="logistics-failure-goods-back",
    ),
    path(
        "failures/<int:pk>/told/", views_failures.failure_told_view, name="logistics-failure-told"
    ),
    path(
        "failures/<int:pk>/rebook/",
        views_failures.failure_rebook_view,
        name="logistics-failure-rebook",
    ),
    path(
        "failures/<int:pk>/charge/",
        views_failures.failure_charge_view,
        name="logistics-failure-charge",
    ),
    # Part F: the driver's phone (O-21, O-22): the day's route, a stop's arrived, delivered
    # and failed; the driver's sheet, and all drivers' sheets of a day for finance.
    path("driver/", driver.driver_route, name="logistics-driver"),
    path("driver/sheet/", driver.driver_sheet_view, name="logistics-driver-sheet"),
    path("driver/drops/<int:pk>/arrive/", driver.driver_arrive, name="logistics-driver-arrive"),
    path("driver/drops/<int:pk>/deliver/", driver.driver_deliver, name="logistics-driver-deliver"),
    path("driver/drops/<int:pk>/fail/", driver.driver_fail, name="logistics-driver-fail"),
    path("drops/<int:pk>/signature/", driver.drop_signature, name="logistics-drop-signature"),
    path("sheets/<str:day>/", driver.day_sheets_view, name="logistics-sheets-day"),
]
