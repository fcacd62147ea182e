"""What changed: between revisions, catalogue versions, a trainee and the model answer, clauses."""
