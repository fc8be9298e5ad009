/* Passkeys (WebAuthn) for forms marked data-passkey="register" or "authenticate".
 * 1. POST the form's fields to data-options-url (CSRF header) -> the options JSON;
 * 2. ask the browser for a credential; 3. put its JSON in input[name=credential] and
 * submit the form for real. Messages come from the form's data-error-* attributes
 * (translated by the server); this file has no words of its own. */
"use strict";

(function () {
  function b64urlToBuffer(value) {
    const padded = value.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((value.length + 3) % 4);
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function bufferToB64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    const options = Object.assign({}, json);
    options.challenge = b64urlToBuffer(json.challenge);
    options.user = Object.assign({}, json.user, { id: b64urlToBuffer(json.user.id) });
    options.excludeCredentials = (json.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: b64urlToBuffer(c.id) });
    });
    return options;
  }

  function requestOptions(json) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    const options = Object.assign({}, json);
    options.challenge = b64urlToBuffer(json.challenge);
    options.allowCredentials = (json.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: b64urlToBuffer(c.id) });
    });
    return options;
  }

  function serialise(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const response = credential.response;
    const out = {
      id: credential.id,
      rawId: bufferToB64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: bufferToB64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      out.response.attestationObject = bufferToB64url(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = bufferToB64url(response.authenticatorData);
      out.response.signature = bufferToB64url(response.signature);
      out.response.userHandle = response.userHandle ? bufferToB64url(response.userHandle) : null;
    }
    return out;
  }

  function say(form, key) {
    const status = form.querySelector("[data-passkey-status]");
    if (status) status.textContent = form.getAttribute("data-error-" + key) || "";
  }

  async function run(form, button) {
    const mode = form.getAttribute("data-passkey");
    const csrf = document.querySelector('meta[name="csrf-token"]');
    const response = await fetch(form.getAttribute("data-options-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.getAttribute("content") : "" },
      body: new FormData(form),
    });
    if (!response.ok) throw new Error("options " + response.status);
    const json = await response.json();
    const credential = mode === "register"
      ? await navigator.credentials.create({ publicKey: creationOptions(json) })
      : await navigator.credentials.get({ publicKey: requestOptions(json) });
    form.querySelector('input[name="credential"]').value = JSON.stringify(serialise(credential));
    form.submit();
  }

  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.querySelector('input[name="credential"]').value) return;
      event.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) {
        say(form, "unsupported");
        return;
      }
      const button = event.submitter || form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      say(form, "none");
      run(form, button).catch(function (error) {
        say(form, error && error.name === "NotAllowedError" ? "cancelled" : "failed");
        if (button) button.disabled = false;
      });
    });
  });
})();
