// password-hint.js marks, while the user types a new password, which of
// the password rules listed under the field it meets: 12 to 128
// characters, not one character repeated, not containing the username.
// It mirrors domain.NewPassword (NFKC, counted in code points, the
// username compared without regard to case) but decides nothing: the
// server checks every rule again when the form is sent, and only the
// server knows the list of common passwords. Without this script the
// rules are still listed and the form works the same.
(function () {
  "use strict";

  var MIN = 12;
  var MAX = 128;
  var USERNAME_MIN = 3;

  function chars(s) {
    return Array.from(s);
  }

  function fold(s) {
    return s.normalize("NFKC").toLowerCase().normalize("NFKC");
  }

  function oneRepeated(cs) {
    return cs.every(function (c) {
      return c === cs[0];
    });
  }

  // check returns, for each rule, true (met), false (not met) or null
  // (nothing typed yet).
  function check(raw, username) {
    var password = raw.normalize("NFKC");
    var cs = chars(password);
    if (cs.length === 0) {
      return { length: null, repeat: null, username: null };
    }
    var name = fold(username.normalize("NFKC").trim());
    return {
      length: cs.length >= MIN && cs.length <= MAX,
      repeat: !oneRepeated(cs),
      username: chars(name).length < USERNAME_MIN || fold(password).indexOf(name) < 0
    };
  }

  function setup(list) {
    var input = document.getElementById(list.getAttribute("data-password-rules"));
    if (!input) {
      return;
    }
    var usernameField = document.getElementById(list.getAttribute("data-username-field") || "");
    var status = list.parentNode.querySelector("[data-password-status]");
    var announced = "";
    var timer = 0;

    function username() {
      return usernameField ? usernameField.value : list.getAttribute("data-username") || "";
    }

    function announce(text) {
      if (!status || text === announced) {
        return;
      }
      announced = text;
      window.clearTimeout(timer);
      // Wait for a pause in the typing, so a screen reader reads the
      // outcome once rather than at every key.
      timer = window.setTimeout(function () {
        status.textContent = text;
      }, 800);
    }

    function update() {
      var results = check(input.value, username());
      var unmet = 0;
      var typed = false;
      list.querySelectorAll("li[data-rule]").forEach(function (item) {
        var rule = item.getAttribute("data-rule");
        if (!Object.prototype.hasOwnProperty.call(results, rule)) {
          return; // the common-password rule: checked on submit
        }
        var met = results[rule];
        var state = item.querySelector(".rule-state");
        if (met === null) {
          item.removeAttribute("data-state");
          if (state) {
            state.textContent = "";
          }
          return;
        }
        typed = true;
        if (!met) {
          unmet++;
        }
        item.setAttribute("data-state", met ? "met" : "unmet");
        if (state) {
          state.textContent = met ? " (met)" : " (not met)";
        }
      });
      if (!typed) {
        announce("");
      } else if (unmet === 0) {
        announce("The password meets the rules so far. Common passwords are checked on submit.");
      } else {
        announce(unmet === 1 ? "1 password rule is not met." : unmet + " password rules are not met.");
      }
    }

    input.addEventListener("input", update);
    if (usernameField) {
      usernameField.addEventListener("input", update);
    }
    update();
  }

  document.querySelectorAll("[data-password-rules]").forEach(setup);
})();
