// The contact form's small helpers; the form works the same without them.
(function () {
    // Move focus to the error summary after a failed submit, so screen-reader and keyboard users start there.
    var summary = document.getElementById("error-summary");
    if (summary) {
        summary.focus();
    }

    // Mark the phone field required while a contact method that needs it (a call, a text) is chosen. The server
    // names those methods on the phone input (data-phone-methods) and checks the rule itself either way.
    var phone = document.querySelector("input[data-phone-methods]");
    if (!phone) {
        return;
    }
    var methods = JSON.parse(phone.getAttribute("data-phone-methods"));
    var controls = document.getElementsByName(phone.getAttribute("data-method-field"));
    var label = document.querySelector('label[for="' + phone.id + '"]');
    var mark = label ? label.querySelector(".optional, .required") : null;

    function chosenMethod() {
        for (var i = 0; i < controls.length; i++) {
            if (controls[i].type !== "radio" || controls[i].checked) {
                return controls[i].value;
            }
        }
        return "";
    }

    function update() {
        var needed = methods.indexOf(chosenMethod()) !== -1;
        if (needed) {
            phone.setAttribute("aria-required", "true");
        } else {
            phone.removeAttribute("aria-required");
        }
        if (mark) {
            mark.textContent = needed ? "(required)" : "(optional)";
            mark.className = needed ? "required" : "optional";
        }
    }

    for (var i = 0; i < controls.length; i++) {
        controls[i].addEventListener("change", update);
    }
    update();
})();
