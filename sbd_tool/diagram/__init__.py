"""The system overview diagram: first draft, checks, layout, routing, drawing."""
