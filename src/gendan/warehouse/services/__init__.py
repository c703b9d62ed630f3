"""The warehouse's write operations, one module per part of the work."""
