"""The API's interactive docs in a real browser (issue 7 point 3): Swagger UI, served from our own
origin, renders every operation under the site's CSP (the ``page`` fixture fails the test on any
console error or CSP violation), and an operation opens to show its error responses."""

from playwright.sync_api import Page, expect

from e2e.asgi_server import AsgiLiveServer


def test_swagger_ui_renders_the_api_under_the_csp(page: Page, asgi_live_server: AsgiLiveServer):
    page.goto(f"{asgi_live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("MyLabel API")
    bookings = page.locator(".opblock-summary-path", has_text="/api/v1/bookings/").first
    expect(bookings).to_be_visible()
    assert page.locator(".opblock").count() >= 40

    # One operation, opened: its documented answers include the shared error shape.
    token = page.locator(".opblock-post .opblock-summary", has_text="/api/v1/auth/token/").first
    token.click()
    responses = page.locator(".opblock.is-open .responses-table").first
    expect(responses).to_contain_text("201")
    expect(responses).to_contain_text("429")
