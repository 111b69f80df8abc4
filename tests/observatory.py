"""Mozilla HTTP Observatory's header rules (scoring as published in 2024), applied to a Django response.

Every site starts at 100; each test adds its modifier; bonuses count only when the score without them is 90
or more. 100 or more is an A+. Rules that need the live network (redirection from http, HSTS preload lists)
are scored as the production settings make them and checked by their own tests.
"""

import re
from dataclasses import dataclass, field
from http.cookies import Morsel

UNSAFE_REFERRERS = {"origin", "origin-when-cross-origin", "unsafe-url"}
PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SIX_MONTHS = 15768000


@dataclass
class Score:
    modifiers: dict[str, int] = field(default_factory=dict)

    def add(self, rule: str, points: int) -> None:
        self.modifiers[rule] = points

    @property
    def total(self) -> int:
        penalties = sum(p for p in self.modifiers.values() if p < 0)
        bonuses = sum(p for p in self.modifiers.values() if p > 0)
        base = 100 + penalties
        return base + bonuses if base >= 90 else base

    @property
    def grade(self) -> str:
        return "A+" if self.total >= 100 else ("A" if self.total >= 90 else "below A")


def parse_csp(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        policy[name.lower()] = values
    return policy


def score_csp(headers, score: Score) -> dict[str, list[str]]:
    header = headers.get("Content-Security-Policy")
    if not header:
        score.add("csp-not-implemented", -25)
        return {}
    policy = parse_csp(header)
    scripts = policy.get("script-src", policy.get("default-src", []))
    styles = policy.get("style-src", policy.get("default-src", []))
    every_source = [value for values in policy.values() for value in values]
    if "'unsafe-inline'" in scripts:
        score.add("csp-implemented-with-unsafe-inline", -20)
    elif any(value.startswith("http:") for value in every_source):
        score.add("csp-implemented-with-insecure-scheme", -20)
    elif "'unsafe-eval'" in scripts:
        score.add("csp-implemented-with-unsafe-eval", -10)
    elif "'unsafe-inline'" in styles:
        score.add("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    elif policy.get("default-src") == ["'none'"]:
        score.add("csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        score.add("csp-implemented-with-no-unsafe", 5)
    return policy


def is_session_cookie(name: str) -> bool:
    return "session" in name.lower() or name.lower() in {"sid", "sessid"}


def score_cookies(cookies: dict[str, Morsel], hsts: bool, score: Score) -> None:
    if not cookies:
        score.add("cookies-not-found", 0)
        return
    for name, morsel in cookies.items():
        secure = bool(morsel["secure"])
        if is_session_cookie(name) and not morsel["httponly"]:
            score.add("cookies-session-without-httponly-flag", -30)
        if not secure:
            score.add(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if is_session_cookie(name) and hsts
                else "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag",
                -10 if is_session_cookie(name) and hsts else (-5 if hsts else -20),
            )
    if not any(points < 0 for rule, points in score.modifiers.items() if rule.startswith("cookies")):
        all_samesite = all(morsel["samesite"] for morsel in cookies.values())
        score.add(
            "cookies-secure-with-httponly-sessions-and-samesite"
            if all_samesite
            else "cookies-secure-with-httponly-sessions",
            5 if all_samesite else 0,
        )


def score_hsts(headers, score: Score) -> bool:
    header = headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", header)
    if not match:
        score.add("hsts-not-implemented", -20)
        return False
    score.add(
        "hsts-implemented-max-age-at-least-six-months"
        if int(match.group(1)) >= SIX_MONTHS
        else "hsts-implemented-max-age-less-than-six-months",
        0 if int(match.group(1)) >= SIX_MONTHS else -10,
    )
    return True


def score_referrer(headers, score: Score) -> None:
    values = {v.strip().lower() for v in headers.get("Referrer-Policy", "").split(",") if v.strip()}
    if not values:
        score.add("referrer-policy-not-implemented", 0)
    elif values & UNSAFE_REFERRERS:
        score.add("referrer-policy-unsafe", -5)
    elif values <= PRIVATE_REFERRERS:
        score.add("referrer-policy-private", 5)
    else:
        score.add("referrer-policy-no-referrer-when-downgrade", 0)


def score_sri(html: str, score: Score) -> None:
    sources = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    external = [src for src in sources if src.startswith(("http:", "https:", "//"))]
    if any(src.startswith("http:") for src in external):
        score.add("sri-not-implemented-and-external-scripts-not-loaded-securely", -50)
    elif external:
        score.add("sri-not-implemented-but-external-scripts-loaded-securely", -5)
    else:
        score.add("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)


def score_response(response) -> Score:
    score = Score()
    headers = response.headers
    policy = score_csp(headers, score)
    hsts = score_hsts(headers, score)
    score_cookies(dict(response.cookies), hsts, score)
    score_referrer(headers, score)
    if headers.get("Access-Control-Allow-Origin") == "*" and headers.get("Access-Control-Allow-Credentials"):
        score.add("cross-origin-resource-sharing-implemented-with-universal-access", -50)
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        score.add("x-content-type-options-not-implemented", -5)
    if "frame-ancestors" in policy:
        score.add("x-frame-options-implemented-via-csp", 5)
    elif headers.get("X-Frame-Options", "").upper() not in {"DENY", "SAMEORIGIN"}:
        score.add("x-frame-options-not-implemented", -20)
    corp = headers.get("Cross-Origin-Resource-Policy")
    if corp and corp not in {"same-origin", "same-site", "cross-origin"}:
        score.add("cross-origin-resource-policy-header-invalid", -5)
    if "text/html" in headers.get("Content-Type", ""):
        score_sri(response.content.decode(), score)
    return score
