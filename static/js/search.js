// Suggestions as you type in a search box. Progressive enhancement only: the
// box is an ordinary GET form and works the same without this script.
(() => {
  "use strict";

  const DELAY_MS = 150;

  function enhance(form) {
    const input = form.querySelector('input[name="q"]');
    const endpoint = form.dataset.suggestions;
    if (!input || !endpoint || !window.fetch) return;

    const panel = document.createElement("div");
    panel.className = "search-suggestions";
    panel.hidden = true;
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.setAttribute("aria-label", "Suggestions");
    panel.append(list);
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.append(panel, status);
    input.setAttribute("aria-controls", list.id);

    let timer = 0;
    let controller = null;
    let shownQuery = "";

    const links = () => [...list.querySelectorAll("a")];

    function close() {
      panel.hidden = true;
      list.replaceChildren();
      status.textContent = "";
      shownQuery = "";
    }

    function part(className, text) {
      const span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      return span;
    }

    function render(results) {
      list.replaceChildren(
        ...results.map((result) => {
          const link = document.createElement("a");
          link.href = result.url;
          link.append(
            part("search-suggestions__name", result.name),
            part("search-suggestions__kind", result.kind === "film" ? "Film" : "Person"),
          );
          if (result.matched) {
            link.append(part("search-suggestions__matched", result.matched));
          }
          const item = document.createElement("li");
          item.append(link);
          return item;
        }),
      );
      panel.hidden = results.length === 0;
      const count = results.length;
      status.textContent = count
        ? `${count} suggestion${count === 1 ? "" : "s"}; press the down arrow to browse them.`
        : "";
    }

    async function update() {
      const query = input.value.trim();
      if (query === shownQuery) return;
      if (controller) controller.abort();
      if (!query) {
        close();
        return;
      }
      controller = new AbortController();
      const url = new URL(endpoint, window.location.href);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) {
          close();
          return;
        }
        const data = await response.json();
        shownQuery = query;
        render(data.results);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && !panel.hidden && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        close();
      }
    });

    list.addEventListener("keydown", (event) => {
      const all = links();
      const index = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        all[Math.min(index + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index <= 0) input.focus();
        else all[index - 1].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        input.focus();
      }
    });

    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) close();
    });
  }

  document.querySelectorAll("form[data-suggestions]").forEach(enhance);
})();
