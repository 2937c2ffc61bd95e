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
