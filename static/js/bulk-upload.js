// "Add stills" in the film admin, one file per request with a progress bar each.
// Progressive enhancement only: without this script the input is a plain
// multi-file field posted with the form, which suits a handful of files.
//
// When the form is saved with files chosen, each file is sent on its own to the
// address in the input's data-upload-url (checked and stored there, its
// renditions made in the background), then the form itself is saved without
// them. A file that is refused keeps its error beside its name and stays
// chosen; the others are already saved.
(() => {
  "use strict";

  const FIELDS = ["new_stills_alt_text", "new_stills_credit", "new_stills_kind"];

  function enhance(input) {
    const form = input.form;
    const endpoint = input.dataset.uploadUrl;
    if (!form || !endpoint || !window.FormData || !window.DataTransfer) return;

    const list = document.createElement("ol");
    list.className = "upload-list";
    list.hidden = true;
    const summary = document.createElement("p");
    summary.className = "upload-summary";
    summary.setAttribute("role", "status");
    input.after(list, summary);

    let busy = false;

    const value = (name) => {
      const field = form.elements.namedItem(name);
      return field ? field.value : "";
    };

    function row(file) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = "upload-list__name";
      name.textContent = file.name;
      const bar = document.createElement("progress");
      bar.max = file.size || 1;
      bar.value = 0;
      bar.setAttribute("aria-label", `Uploading ${file.name}`);
      const status = document.createElement("span");
      status.className = "upload-list__status";
      status.textContent = "waiting";
      item.append(name, " ", bar, " ", status);
      list.append(item);
      return { item, bar, status };
    }

    function send(file, shown) {
      return new Promise((resolve) => {
        const data = new FormData();
        data.append("new_stills", file, file.name);
        for (const name of FIELDS) data.append(name, value(name));
        const request = new XMLHttpRequest();
        request.open("POST", endpoint);
        request.setRequestHeader("X-CSRFToken", value("csrfmiddlewaretoken"));
        request.setRequestHeader("Accept", "application/json");
        request.responseType = "json";
        shown.status.textContent = "uploading";
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) {
            shown.bar.max = event.total;
            shown.bar.value = event.loaded;
          }
        });
        request.upload.addEventListener("load", () => {
          shown.bar.removeAttribute("value"); // indeterminate while checked
          shown.status.textContent = "checking";
        });
        request.addEventListener("load", () => {
          const answer = request.response || {};
          if (request.status === 201) {
            shown.bar.max = 1;
            shown.bar.value = 1;
            shown.item.classList.add("upload-list__item--done");
            shown.status.textContent = answer.message || "saved";
            resolve({ ok: true });
            return;
          }
          const errors = answer.errors || {};
          const own = errors.new_stills || [];
          const others = Object.entries(errors)
            .filter(([name]) => name !== "new_stills")
            .flatMap(([, messages]) => messages);
          shown.bar.value = 0;
          shown.item.classList.add("upload-list__item--failed");
          shown.status.textContent =
            [...own, ...others].join(" ") ||
            `Not saved: the server answered ${request.status}.`;
          // An error that is not the file's own (the alt text is missing, the
          // session ended) would refuse every other file too.
          resolve({ ok: false, stop: others.length > 0 || !own.length });
        });
        request.addEventListener("error", () => {
          shown.status.textContent = "Not saved: the connection failed.";
          shown.item.classList.add("upload-list__item--failed");
          resolve({ ok: false, stop: true });
        });
        request.send(data);
      });
    }

    async function upload(files, submitter) {
      busy = true;
      list.replaceChildren();
      list.hidden = false;
      summary.textContent = `Uploading ${files.length} file${files.length === 1 ? "" : "s"}…`;
      const rows = files.map(row);
      const left = new DataTransfer();
      let saved = 0;
      let stopped = false;
      for (const [index, file] of files.entries()) {
        if (stopped) {
          rows[index].status.textContent = "not sent";
          left.items.add(file);
          continue;
        }
        const result = await send(file, rows[index]);
        if (result.ok) saved += 1;
        else {
          left.items.add(file);
          stopped = result.stop;
        }
      }
      input.files = left.files;
      busy = false;
      if (!left.files.length) {
        summary.textContent = `${saved} still${saved === 1 ? "" : "s"} added; saving the film…`;
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
        return;
      }
      summary.textContent =
        `${saved} of ${files.length} saved. The files that were not are still ` +
        "chosen: correct what is said beside them, or choose others, and save again.";
    }

    form.addEventListener("submit", (event) => {
      if (busy) {
        event.preventDefault();
        return;
      }
      if (!input.files.length) return; // nothing to send: the plain save
      event.preventDefault();
      upload([...input.files], event.submitter);
    });
  }

  // The admin loads form media in the <head>, before the form exists.
  const start = () => {
    for (const input of document.querySelectorAll("input[type=file][data-upload-url]")) {
      enhance(input);
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else start();
})();
