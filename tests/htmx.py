"""Request headers for simulating htmx in the test client."""

# Headers of a request htmx makes.
HTMX = {"HX-Request": "true"}
