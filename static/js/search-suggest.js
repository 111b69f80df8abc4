/*
 * Suggestions as you type in the site's search box (templates/includes/search_box.html).
 *
 * Progressive enhancement: without this script the box is an ordinary GET form to /search/. With it, the input
 * becomes an ARIA 1.2 combobox with a listbox popup of pages whose titles start with the words typed, fetched from
 * the form's data-suggest-url. Arrow keys move through the options, Enter opens the chosen page (or searches when
 * no option is chosen), Escape closes the list (and clears the box when it is already closed).
 *
 * No dependencies, no inline script or style, no innerHTML: text is set with textContent, so the strict CSP holds
 * and nothing the server or the visitor sends can become markup.
 */
(function () {
    "use strict";

    var MIN_LENGTH = 2;
    var DELAY_MS = 180;
    var counter = 0;

    function safeUrl(value) {
        try {
            var url = new URL(value, window.location.href);
            return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
        } catch (error) {
            return null;
        }
    }

    function enhance(form) {
        var input = form.querySelector('input[name="query"]');
        var endpoint = form.getAttribute("data-suggest-url");
        if (!input || !endpoint || !window.fetch || !window.URL) {
            return;
        }
        counter += 1;
        var listId = (input.id || "search") + "-suggestions-" + counter;

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "search-suggest";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Suggested pages");
        list.hidden = true;

        var status = document.createElement("p");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");

        form.appendChild(list);
        form.appendChild(status);
        form.classList.add("search-box--enhanced");

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);

        var options = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var lastQuery = null;

        function setActive(index) {
            options.forEach(function (option, i) {
                option.element.setAttribute("aria-selected", i === index ? "true" : "false");
            });
            active = index;
            if (index >= 0) {
                input.setAttribute("aria-activedescendant", options[index].element.id);
                options[index].element.scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            setActive(-1);
        }

        function open() {
            if (options.length) {
                list.hidden = false;
                input.setAttribute("aria-expanded", "true");
            }
        }

        function go(index) {
            var option = options[index];
            if (option) {
                window.location.assign(option.url);
            }
        }

        function render(results) {
            list.textContent = "";
            options = [];
            results.forEach(function (result) {
                var url = typeof result.url === "string" ? safeUrl(result.url) : null;
                if (!url || typeof result.title !== "string") {
                    return;
                }
                var index = options.length;
                var element = document.createElement("li");
                element.id = listId + "-" + index;
                element.className = "search-suggest__option";
                element.setAttribute("role", "option");
                element.setAttribute("aria-selected", "false");
                var title = document.createElement("span");
                title.className = "search-suggest__title";
                title.textContent = result.title;
                element.appendChild(title);
                if (typeof result.type === "string" && result.type) {
                    var type = document.createElement("span");
                    type.className = "search-suggest__type";
                    type.textContent = result.type;
                    element.appendChild(type);
                }
                element.addEventListener("click", function () {
                    go(index);
                });
                list.appendChild(element);
                options.push({ element: element, url: url });
            });
            setActive(-1);
            if (options.length) {
                status.textContent = options.length + (options.length === 1 ? " suggestion" : " suggestions") +
                    ". Use the up and down arrow keys to choose.";
                open();
            } else {
                status.textContent = "";
                close();
            }
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            if (query === lastQuery) {
                open();
                return;
            }
            lastQuery = query;
            if (controller) {
                controller.abort();
                controller = null;
            }
            if (query.length < MIN_LENGTH) {
                render([]);
                return;
            }
            controller = window.AbortController ? new AbortController() : null;
            var url = new URL(endpoint, window.location.href);
            url.searchParams.set("query", query.slice(0, 60));
            window.fetch(url.href, {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
                signal: controller ? controller.signal : undefined,
            })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (data) {
                    if (input.value.trim() === query) {
                        render(Array.isArray(data.results) ? data.results : []);
                    }
                })
                .catch(function () {
                    /* Aborted or offline: the form still searches on Enter. */
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DELAY_MS);
        });

        input.addEventListener("keydown", function (event) {
            var expanded = !list.hidden;
            switch (event.key) {
                case "ArrowDown":
                    if (!options.length) {
                        return;
                    }
                    event.preventDefault();
                    if (!expanded) {
                        open();
                        if (!event.altKey) {
                            setActive(0);
                        }
                    } else {
                        setActive(active + 1 < options.length ? active + 1 : 0);
                    }
                    break;
                case "ArrowUp":
                    if (!options.length) {
                        return;
                    }
                    event.preventDefault();
                    open();
                    setActive(active > 0 ? active - 1 : options.length - 1);
                    break;
                case "Enter":
                    if (expanded && active >= 0) {
                        event.preventDefault();
                        go(active);
                    }
                    break;
                case "Escape":
                    if (expanded) {
                        event.preventDefault();
                        close();
                    } else if (input.value) {
                        event.preventDefault();
                        input.value = "";
                        lastQuery = null;
                        render([]);
                    }
                    break;
                case "Tab":
                    close();
                    break;
                default:
                    break;
            }
        });

        // Keep the focus in the input while an option is clicked, so the list does not close first.
        list.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        input.addEventListener("blur", function () {
            close();
        });
        input.addEventListener("focus", function () {
            if (options.length && input.value.trim() === lastQuery) {
                open();
            }
        });
    }

    Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest-url]"), enhance);
})();
