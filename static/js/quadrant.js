// Quadrant's only script of its own: htmx glue.
(function () {
  "use strict";

  function showError() {
    var message = document.createElement("p");
    message.className = "message message-error";
    message.textContent = document.body.dataset.errorMessage;
    document.getElementById("messages").replaceChildren(message);
  }

  // An error answer is swapped only when the server aimed it (HX-Retarget: #messages)
  // or it is a form re-rendered with its errors (422); anything else shows a short
  // message instead of dropping an error page into the fragment that asked.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400) {
      return;
    }
    if (xhr.status === 422 || xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else {
      showError();
    }
  });

  document.addEventListener("htmx:sendError", showError);
})();

// Plotly charts: the server puts a figure's JSON in data-figure; draw each chart when
// htmx loads content (the page, or a swapped fragment), and free it before htmx removes
// it, so swapping a section does not leak plots.
(function () {
  "use strict";

  function charts(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-figure]"));
    return root.matches("[data-figure]") ? [root].concat(found) : found;
  }

  htmx.onLoad(function (root) {
    if (!window.Plotly || !root.querySelectorAll) {
      return;
    }
    charts(root).forEach(function (element) {
      var figure = JSON.parse(element.dataset.figure);
      Plotly.react(element, figure.data, figure.layout, { responsive: true, displaylogo: false });
      // A bubble that carries a URL (the matrix) opens its project when clicked.
      element.on("plotly_click", function (event) {
        var url = event.points.length && event.points[0].customdata;
        if (typeof url === "string" && url.charAt(0) === "/") {
          window.location.assign(url);
        }
      });
    });
  });

  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = event.target;
    if (window.Plotly && element.matches && element.matches("[data-figure]")) {
      Plotly.purge(element);
    }
  });
})();
