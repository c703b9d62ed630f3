from typing import Any

from django.core.management.base import BaseCommand

from gendan.orders.models import Effect
from gendan.orders.services.effects import effects_due_run


class Command(BaseCommand):
    help = (
        "Run the step effects that are due (orders/effects.py): the sweep behind the task "
        "worker, for a timer every few minutes (see the README)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ran = effects_due_run()
        failing = Effect.objects.exclude(state=Effect.State.DONE).exclude(last_error="").count()
        self.stdout.write(f"{ran} effects run; {failing} failing (retried, or failed for good).")
