/* Uploads (issue 17.7). The upload component refuses a file over its size limit without
 * telling anyone (no callback runs). This says so in German beside the upload, and it hides an
 * earlier result while a new file is checked, so no old message stands as if it were about the
 * new file. The wrapper (dashboard/app/_components.upload_area) carries:
 *   data-upload-limit   bytes allowed
 *   data-upload-note    id of the element for this script's message
 *   data-upload-result  id of the element the server's answer is written into
 *   data-upload-too-big message template ({name}, {size}, {limit} in MB)
 *   data-upload-checking message while the server checks ({name})
 */
(function () {
  "use strict";

  function mb(bytes) {
    return (bytes / 1048576).toLocaleString("de-DE", { maximumFractionDigits: 1 });
  }

  function parts(wrapper) {
    return {
      limit: Number(wrapper.getAttribute("data-upload-limit")),
      note: document.getElementById(wrapper.getAttribute("data-upload-note")),
      result: document.getElementById(wrapper.getAttribute("data-upload-result")),
    };
  }

  function watch(wrapper) {
    // the server's answer replaces the result: show it again and drop the note
    if (wrapper._uploadWatched) return;
    var p = parts(wrapper);
    if (!p.result || !p.note) return;
    // Dash marks an output while its callback runs (data-dash-is-loading); the answer has
    // arrived when the content changed or the mark is gone (an identical answer changes nothing)
    new MutationObserver(function () {
      if (wrapper._uploadPending && !p.result.hasAttribute("data-dash-is-loading")) {
        wrapper._uploadPending = false;
        p.result.hidden = false;
        p.note.textContent = "";
      }
    }).observe(p.result, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["data-dash-is-loading"],
    });
    wrapper._uploadWatched = true;
  }

  function check(wrapper, files) {
    if (!wrapper || !files || !files.length) return;
    var p = parts(wrapper);
    if (!p.note) return;
    watch(wrapper);
    var f = files[0];
    if (p.result) p.result.hidden = true; // never an earlier message beside a new file
    if (f.size > p.limit) {
      wrapper._uploadPending = false;
      p.note.textContent = wrapper
        .getAttribute("data-upload-too-big")
        .replace("{name}", f.name)
        .replace("{size}", mb(f.size))
        .replace("{limit}", mb(p.limit));
      p.note.className = "hinweis-fehler";
      p.note.setAttribute("role", "alert");
    } else {
      wrapper._uploadPending = true;
      p.note.textContent = wrapper.getAttribute("data-upload-checking").replace("{name}", f.name);
      p.note.className = "small";
      p.note.setAttribute("role", "status");
    }
  }

  function wrapperOf(el) {
    return el && el.closest ? el.closest("[data-upload-limit]") : null;
  }

  document.addEventListener(
    "change",
    function (e) {
      var t = e.target;
      if (t && t.type === "file") check(wrapperOf(t), t.files);
    },
    true
  );
  document.addEventListener(
    "drop",
    function (e) {
      check(wrapperOf(e.target), e.dataTransfer && e.dataTransfer.files);
    },
    true
  );
})();
