"""What the learner has done: the SQLite store, review cards, mastery and practice."""
