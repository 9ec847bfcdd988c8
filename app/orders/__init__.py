"""Orders: checkout, the order state machine, deliveries, cancellations and disputes."""
