"""Review (审查): the state machine of a filing from enterprise confirmation to the ministry's decision, staff
scopes, the review queue, working-day deadlines and review automation."""
