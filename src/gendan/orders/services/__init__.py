"""Writes of orders, by what they do; ``steps.order_step_complete`` is the only code that
moves an order along its route."""
