// Move focus to the error summary after a failed submit, so screen-reader and keyboard users start there.
(function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
        summary.focus();
    }
})();
