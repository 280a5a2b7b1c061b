"""Types of the review area: the staff decisions' inputs and payloads, createStaffUser."""
