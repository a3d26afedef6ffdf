"""Read models fed from the event store, their as-of queries, and the report builders."""
