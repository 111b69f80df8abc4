"""axe-core in Chromium on every public page type: no serious or critical violation; minor ones are listed."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import demo_html_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def page_types() -> dict[str, str]:
    return {**demo_html_pages(), "404": "/no-such-page/"}


def audit(axe: Axe, page, name: str, findings: dict) -> None:
    violations = axe.run(page).response["violations"]
    findings[name] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]


def test_every_public_page_type_has_no_serious_or_critical_accessibility_violation(demo_site, browser_page):
    axe = Axe()
    page = browser_page
    findings: dict[str, list] = {}
    for name, url in page_types().items():
        response = page.goto(url)
        assert response.status == (404 if name == "404" else 200), name
        audit(axe, page, name, findings)

    page.goto("/contact/")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_selector("#error-summary")
    audit(axe, page, "contact page with errors", findings)

    page.get_by_label("Your name").fill("Ana Lima")
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("I agree to be contacted about my request").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert page.url.endswith("/contact/thanks/")
    audit(axe, page, "thank-you page", findings)

    for name, violations in findings.items():
        minor = [v for v in violations if v[1] not in BLOCKING_IMPACTS]
        print(f"axe {name}: {len(violations)} violation(s); minor or moderate: {minor or 'none'}")
    blocking = {name: [v for v in found if v[1] in BLOCKING_IMPACTS] for name, found in findings.items()}
    assert {name: found for name, found in blocking.items() if found} == {}
    assert len(findings) == 12
