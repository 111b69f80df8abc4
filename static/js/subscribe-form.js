/*
 * The subscribe form embedded under posts and on the blog page (templates/blog/includes/subscribe_form.html).
 *
 * Those pages come from the page cache, the same HTML for every visitor, so the form cannot carry its own signed
 * start time (the spam check's minimum fill time). When the visitor first moves into the form, this script asks
 * the never-cached endpoint in the form's data-token-url for a fresh one and puts it in the hidden field.
 * Without this script, or before the answer arrives, the form is sent without it and the subscribe page asks the
 * visitor to press Subscribe once more, with the address kept. A form that already has a start time (the
 * subscribe page's own) is left alone.
 *
 * No inline script and no dependencies, so the strict CSP holds.
 */
(function () {
    "use strict";

    function enhance(form) {
        var started = form.querySelector('input[name="form_started"]');
        var endpoint = form.getAttribute("data-token-url");
        if (!started || started.value || !endpoint || !window.fetch) {
            return;
        }
        function fetchToken() {
            form.removeEventListener("focusin", fetchToken);
            window.fetch(endpoint, { credentials: "same-origin", cache: "no-store" })
                .then(function (response) {
                    return response.ok ? response.json() : null;
                })
                .then(function (answer) {
                    if (answer && typeof answer.token === "string") {
                        started.value = answer.token;
                    }
                })
                .catch(function () {
                    // The subscribe page asks for the token instead: nothing to tell the visitor here.
                });
        }
        form.addEventListener("focusin", fetchToken);
    }

    var forms = document.querySelectorAll("form.subscribe-form[data-token-url]");
    for (var i = 0; i < forms.length; i++) {
        enhance(forms[i]);
    }
})();
