// passkeys.js runs the browser's side of gatehouse's passkeys (WebAuthn).
// Each form marked data-passkey ("register", "login", "second-step") is
// shown or enabled only when the browser has WebAuthn; its submit asks
// the server for the ceremony's options (POST FORM_ACTION/options, with
// the form's CSRF token), hands them to navigator.credentials, puts the
// answer's WebAuthn JSON into the form's hidden "credential" field and
// submits the form as any other: the server decides and answers with a
// page. On the login page it also offers passkey autofill (conditional
// mediation) in the username field where the browser supports it. The
// pages work without this script, passkeys aside.
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function fromB64(s) {
    var b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) {
      out[i] = b.charCodeAt(i);
    }
    return out.buffer;
  }

  function toB64(buf) {
    var bytes = new Uint8Array(buf);
    var s = "";
    for (var i = 0; i < bytes.length; i++) {
      s += String.fromCharCode(bytes[i]);
    }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var out = { type: d.type, id: fromB64(d.id) };
      if (d.transports) {
        out.transports = d.transports;
      }
      return out;
    });
  }

  // creationOptions and requestOptions turn the server's JSON into what
  // navigator.credentials takes: binary fields as ArrayBuffers.
  function creationOptions(o) {
    var p = Object.assign({}, o.publicKey);
    p.challenge = fromB64(p.challenge);
    p.user = Object.assign({}, p.user, { id: fromB64(p.user.id) });
    p.excludeCredentials = descriptors(p.excludeCredentials);
    return p;
  }

  function requestOptions(o) {
    var p = Object.assign({}, o.publicKey);
    p.challenge = fromB64(p.challenge);
    p.allowCredentials = descriptors(p.allowCredentials);
    return p;
  }

  // toJSON writes a PublicKeyCredential as WebAuthn JSON.
  function toJSON(cred) {
    var r = cred.response;
    var response = { clientDataJSON: toB64(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64(r.authenticatorData);
      response.signature = toB64(r.signature);
      if (r.userHandle) {
        response.userHandle = toB64(r.userHandle);
      }
    }
    return JSON.stringify({
      id: cred.id,
      rawId: toB64(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: response
    });
  }

  function options(form) {
    var body = new URLSearchParams();
    body.set("csrf_token", form.elements.csrf_token.value);
    return fetch(form.getAttribute("action") + "/options", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (res) {
      if (!res.ok) {
        throw new Error("options " + res.status);
      }
      return res.json();
    });
  }

  function showError(form, text) {
    var p = form.querySelector("#passkey-error");
    if (p) {
      p.textContent = text;
      p.hidden = false;
    }
  }

  function finish(form, cred) {
    form.elements.credential.value = toJSON(cred);
    var remember = document.getElementById("remember");
    if (remember && form.elements.remember) {
      form.elements.remember.value = remember.checked ? "on" : "";
    }
    form.submit();
  }

  var failed = "The passkey did not answer. Try again, or use another way to log in.";
  var pending = null; // the autofill request, cancelled by a click

  function ceremony(form, kind) {
    if (pending) {
      pending.abort();
      pending = null;
    }
    return options(form).then(function (o) {
      if (kind === "register") {
        return navigator.credentials.create({ publicKey: creationOptions(o) });
      }
      return navigator.credentials.get({ publicKey: requestOptions(o) });
    }).then(function (cred) {
      if (cred) {
        finish(form, cred);
      }
    });
  }

  // autofill offers the account's passkeys in the username field's
  // suggestions (autocomplete="username webauthn").
  function autofill(form) {
    if (!PublicKeyCredential.isConditionalMediationAvailable) {
      return;
    }
    PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
      if (!ok) {
        return;
      }
      var abort = new AbortController();
      pending = abort;
      return options(form).then(function (o) {
        return navigator.credentials.get({ mediation: "conditional", signal: abort.signal, publicKey: requestOptions(o) });
      }).then(function (cred) {
        if (cred) {
          finish(form, cred);
        }
      });
    }).catch(function () {
      // Cancelled by a click on the button, or the browser gave up:
      // the forms are still there.
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-passkey]"), function (form) {
    var kind = form.getAttribute("data-passkey");
    var button = form.querySelector("button[type=submit]");
    form.hidden = false;
    if (button) {
      button.disabled = false;
    }
    form.addEventListener("submit", function (event) {
      if (form.elements.credential.value) {
        return; // the answer is in: let the form go
      }
      event.preventDefault();
      if (kind === "register" && !form.reportValidity()) {
        return;
      }
      if (button) {
        button.disabled = true;
      }
      ceremony(form, kind).catch(function () {
        showError(form, kind === "register" ? "The passkey was not created. Try again." : failed);
      }).then(function () {
        if (button) {
          button.disabled = false;
        }
      });
    });
    if (kind === "login") {
      autofill(form);
    }
  });
})();
