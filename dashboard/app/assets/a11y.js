/*
 * Accessible names and German values for slider handles.
 *
 * Dash 4's slider (Radix) renders its handle as <span role="slider"> and, with
 * allow_direct_input, a number box, both without an accessible name. This script names them
 * after the control's label and gives the handle a German value text ("1,48 Kinder je Frau"):
 *   - a wrapper with data-thumb-label="<label id>" (and optionally data-thumb-unit) names
 *     every handle inside it;
 *   - otherwise <label for="<slider id>"> names the handle and the slider's own number box;
 *   - a control with data-input-message="<id>" gets its text box described by that message
 *     element (aria-describedby) and marked aria-invalid while the message is not empty.
 * It runs again whenever the page changes (Dash renders pages and values after load).
 */
(function () {
    "use strict";

    function labelOf(el) {
        var wrap = el.closest("[data-thumb-label]");
        if (wrap) {
            return {id: wrap.getAttribute("data-thumb-label"), unit: wrap.getAttribute("data-thumb-unit") || ""};
        }
        var box = el.closest(".dash-slider-container[id]");
        if (!box) {
            return null;
        }
        var label = document.querySelector('label[for="' + CSS.escape(box.id) + '"]');
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = box.id + "-label";
        }
        return {id: label.id, unit: ""};
    }

    function set(el, name, value) {
        if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    function fix() {
        document.querySelectorAll('[role="slider"]').forEach(function (thumb) {
            var l = labelOf(thumb);
            if (!l) {
                return;
            }
            set(thumb, "aria-labelledby", l.id);
            var v = Number(thumb.getAttribute("aria-valuenow"));
            if (thumb.hasAttribute("aria-valuenow") && isFinite(v)) {
                var text = v.toLocaleString("de-DE", {maximumFractionDigits: 6}).replace("-", "\u2212");
                set(thumb, "aria-valuetext", l.unit ? text + " " + l.unit : text);
            }
        });
        // an input box whose control names a message element: described by it, invalid while
        // the message says something
        document.querySelectorAll("[data-input-message]").forEach(function (control) {
            var msg = document.getElementById(control.getAttribute("data-input-message"));
            var input = control.querySelector("input[type=text]");
            if (msg && input) {
                set(input, "aria-describedby", msg.id);
                set(input, "aria-invalid", msg.textContent.trim() ? "true" : "false");
            }
        });
        document.querySelectorAll(".dash-slider-container input").forEach(function (input) {
            var l = labelOf(input);
            if (l) {
                set(input, "aria-labelledby", l.id);
            }
        });
    }

    var queued = false;

    function schedule() {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(function () {
                queued = false;
                fix();
            });
        }
    }

    function start() {
        fix();
        new MutationObserver(schedule).observe(document.body, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
            attributeFilter: ["aria-valuenow"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
