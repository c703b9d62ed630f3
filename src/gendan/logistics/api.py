"""The deliveries' JSON API (django-ninja): each part mounts its own router here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["logistics"])
