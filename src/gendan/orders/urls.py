from django.urls import path, re_path

from gendan.orders import (
    cancel_views,
    import_views,
    money_views,
    refunds_views,
    returns_views,
    step_views,
    views,
)

urlpatterns = [
    path("", views.order_log_view, name="order-log"),
    path("new/", views.order_register_view, name="order-register"),
    path("routes/", views.route_list, name="route-list"),
    path("import/", import_views.order_import_view, name="order-import"),
    path("import/<int:pk>/", import_views.order_import_detail, name="order-import-detail"),
    path("import/template.xlsx", import_views.order_import_template, name="order-import-template"),
    path(
        "import/supermarket-sample.xlsx",
        import_views.order_import_supermarket_sample,
        name="order-import-supermarket-sample",
    ),
    path("receivables/", money_views.receivables_view, name="receivables"),
    path("deliveries/", views.delivery_schedule_view, name="delivery-schedule"),
    path("dealers/<int:dealer_id>/", money_views.dealer_account_view, name="dealer-account"),
    path("customers/<int:pk>/credits/", money_views.customer_credits, name="customer-credits"),
    path("<int:pk>/", views.order_detail, name="order-detail"),
    path("<int:pk>/steps/<slug:step>/", step_views.order_step, name="order-step"),
    path(
        "<int:pk>/steps/<slug:step>/send-back/",
        step_views.order_step_send_back_view,
        name="order-step-send-back",
    ),
    path("<int:pk>/checks/", views.order_checks, name="order-checks"),
    path("<int:pk>/receipts/", views.order_receipt, name="order-receipt"),
    path("<int:pk>/confirmation/", views.order_confirmation, name="order-confirmation"),
    path("<int:pk>/change/", views.order_change_view, name="order-change"),
    path("<int:pk>/original/", views.order_original, name="order-original"),
    path("<int:pk>/photos/<slug:step>/", views.order_photo, name="order-photo"),
    path("<int:pk>/returns/", returns_views.return_record_view, name="return-record"),
    re_path(
        r"^(?P<pk>\d+)/cancel/(?P<action>cancel|ask|approve|refuse)/$",
        cancel_views.order_cancel_view,
        name="order-cancel",
    ),
    # O-64, O-66 to O-68: a return's money; O-50: finance's recall.
    path("refunds/", refunds_views.return_money_list, name="return-money-list"),
    path("returns/<int:pk>/money/", refunds_views.return_money_panel, name="return-money"),
    re_path(
        r"^returns/(?P<pk>\d+)/money/(?P<action>record|approve|sign)/$",
        refunds_views.return_money_action,
        name="return-money-action",
    ),
    path(
        "returns/<int:pk>/money/dealer-paid/",
        refunds_views.return_money_dealer_paid,
        name="return-money-dealer-paid",
    ),
    path("returns/<int:pk>/exchange/", refunds_views.exchange_create_view, name="return-exchange"),
    path("<int:pk>/recall/", refunds_views.order_recall_view, name="order-recall"),
    re_path(
        r"^returns/(?P<pk>\d+)/(?P<action>approve|receive|note)/$",
        returns_views.return_action_view,
        name="return-action",
    ),
    re_path(
        r"^(?P<pk>\d+)/(?P<action>refer|answer|addition|confirm)/$",
        views.order_note_action,
        name="order-note-action",
    ),
]
