"""The CRM's write operations: events in (``events``), customers (``customers``), segments
(``segments``)."""
