/* Uploads (issue 17.7). The upload component refuses a file over its size limit without
 * telling anyone (no callback runs). This says so in German beside the upload, and it hides an
 * earlier result when a file is refused, so no old message stands as if it were about the
 * new file (a file within the limit goes to the server, whose answer replaces the result).
 * The wrapper (dashboard/app/_components.upload_area) carries:
 *   data-upload-limit   bytes allowed
 *   data-upload-note    id of the element for this script's message
 *   data-upload-result  id of the element the server's answer is written into
 *   data-upload-too-big message template ({name}, {size}, {limit} in MB)
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

  function check(wrapper, files) {
    if (!wrapper || !files || !files.length) return;
    var p = parts(wrapper);
    if (!p.note) return;
    var f = files[0];
    if (f.size > p.limit) {
      if (p.result) p.result.hidden = true; // never an earlier answer beside the refused file
      p.note.textContent = wrapper
        .getAttribute("data-upload-too-big")
        .replace("{name}", f.name)
        .replace("{size}", mb(f.size))
        .replace("{limit}", mb(p.limit));
      p.note.className = "hinweis-fehler";
      p.note.setAttribute("role", "alert");
    } else {
      // the server checks this file; its answer replaces the result
      if (p.result) p.result.hidden = false;
      p.note.textContent = "";
      p.note.removeAttribute("role");
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
