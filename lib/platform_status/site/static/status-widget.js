/*
 * <platform-status src="https://status.example.com/status.json"></platform-status>
 * A framework-free embed for any site (web/README.md). It shows the platform status in the guide's words with
 * a symbol, and below it what the operators announce: the override's message, else the newest open
 * incident's title and latest update, else the maintenance in progress. It refreshes every 60 s while it is
 * in the document, stops when it is removed, and resumes when it is added again (frameworks move and re-add
 * elements). Stale has one meaning (docs/status-rules.md): past stale_after the status is "Status unknown"
 * and the embed says when the data was last checked. When status.json cannot be read or is invalid it shows
 * "Status unknown" and says why in the browser console. Every text is set with textContent.
 *
 * Theming: the custom properties --platform-status-operational, -degraded, -outage, -maintenance, -unknown
 * (the status colours), --platform-status-background, --platform-status-text, --platform-status-font, and
 * the parts box, headline, message and note (platform-status::part(box) { ... }). Dark-aware by default.
 */
(function () {
  "use strict";
  var WORDING = {
    operational: ["All systems operational", "\u2713"],
    degraded: ["Minor degradation", "!"],
    outage: ["Service outage", "\u2715"],
    maintenance: ["Scheduled maintenance in progress", "\u2699"],
    unknown: ["Status unknown", "?"]
  };
  var REFRESH_MS = 60000;
  var FALLBACK_STALE_MS = 30 * 60 * 1000;
  var MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  // Each default colour reads at 4.5:1 or more on the default background, light and dark.
  var STYLE =
    ":host{display:inline-block;" +
    "--ps-operational:var(--platform-status-operational,#2e7d32);--ps-degraded:var(--platform-status-degraded,#8a4f00);" +
    "--ps-outage:var(--platform-status-outage,#c62828);--ps-maintenance:var(--platform-status-maintenance,#1565c0);" +
    "--ps-unknown:var(--platform-status-unknown,#5f5f5f);--ps-bg:var(--platform-status-background,#fff);" +
    "--ps-text:var(--platform-status-text,#1a1a1a)}" +
    "@media (prefers-color-scheme:dark){:host{" +
    "--ps-operational:var(--platform-status-operational,#66bb6a);--ps-degraded:var(--platform-status-degraded,#ffb74d);" +
    "--ps-outage:var(--platform-status-outage,#ef9a9a);--ps-maintenance:var(--platform-status-maintenance,#90caf9);" +
    "--ps-unknown:var(--platform-status-unknown,#bdbdbd);--ps-bg:var(--platform-status-background,#121212);" +
    "--ps-text:var(--platform-status-text,#ededed)}}" +
    "[part=box]{font:var(--platform-status-font,14px/1.4 system-ui,sans-serif);border:2px solid var(--ps-tone);" +
    "border-radius:6px;padding:6px 10px;background:var(--ps-bg);color:var(--ps-text)}" +
    "[part=headline]{color:var(--ps-tone);font-weight:700}[part=message]{white-space:pre-wrap;overflow-wrap:anywhere}" +
    "[part=note]{font-size:12px}[hidden]{display:none}";

  function when(iso) {
    var t = new Date(iso);
    if (isNaN(t.getTime())) { return "an unknown time"; }
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return t.getUTCDate() + " " + MONTHS[t.getUTCMonth()] + " " + t.getUTCFullYear() + ", " +
      two(t.getUTCHours()) + ":" + two(t.getUTCMinutes()) + " UTC";
  }

  function isStale(doc) {
    var deadline = doc.stale_after ? Date.parse(doc.stale_after) : Date.parse(doc.updated_at) + FALLBACK_STALE_MS;
    return !(Date.now() <= deadline);
  }

  function problem(doc) {
    if (!doc || typeof doc !== "object") { return "status.json is not a JSON object"; }
    if (!Object.prototype.hasOwnProperty.call(WORDING, doc.platform_status)) {
      return "status.json has no known platform_status";
    }
    if (typeof doc.updated_at !== "string") { return "status.json has no updated_at"; }
    return "";
  }

  // What the operators announce, in one line: the override, else an open incident, else maintenance under way.
  function announced(doc) {
    if (doc.override && doc.override.message) { return String(doc.override.message); }
    var incident = Array.isArray(doc.incidents) ? doc.incidents[0] : null;
    if (incident && incident.title) {
      var latest = Array.isArray(incident.updates) && incident.updates[0] ? incident.updates[0].message : "";
      return incident.title + (latest ? ": " + latest : "");
    }
    var working = (Array.isArray(doc.maintenances) ? doc.maintenances : []).filter(function (m) {
      return m && m.status === "in_progress";
    })[0];
    return working && working.title ? "Maintenance: " + working.title : "";
  }

  class PlatformStatusElement extends HTMLElement {
    static get observedAttributes() { return ["src"]; }

    constructor() {
      super();
      // Built once: connectedCallback runs again each time a framework moves or re-adds the element.
      var root = this.attachShadow({ mode: "open" });
      var style = document.createElement("style");
      style.textContent = STYLE;
      var box = document.createElement("div");
      box.setAttribute("part", "box");
      box.setAttribute("role", "status");
      this._headline = document.createElement("div");
      this._headline.setAttribute("part", "headline");
      this._message = document.createElement("div");
      this._message.setAttribute("part", "message");
      this._note = document.createElement("div");
      this._note.setAttribute("part", "note");
      box.appendChild(this._headline);
      box.appendChild(this._message);
      box.appendChild(this._note);
      root.appendChild(style);
      root.appendChild(box);
      this._box = box;
      this._timer = null;
      this._logged = "";
      this._generation = 0;
      this.show("unknown", null, "");
      this.removeAttribute("data-checked");
    }

    connectedCallback() {
      if (this._timer !== null) { return; }
      var self = this;
      this._timer = setInterval(function () { self.refresh(); }, REFRESH_MS);
      this.refresh();
    }

    disconnectedCallback() {
      clearInterval(this._timer);
      this._timer = null;
      this._generation += 1; // an answer still on its way is ignored
    }

    attributeChangedCallback(name, before, after) {
      if (before !== after && this._timer !== null) { this.refresh(); }
    }

    show(status, doc, note) {
      var w = WORDING[status];
      this._box.style.setProperty("--ps-tone", "var(--ps-" + status + ")");
      this._headline.textContent = w[1] + " " + w[0];
      var message = doc && !note ? announced(doc) : ""; // stale (a note): nothing in it is current
      this._message.textContent = message;
      this._message.hidden = !message;
      this._note.textContent = note;
      this._note.hidden = !note;
      this.setAttribute("data-status", status);
      this.setAttribute("data-checked", new Date().toISOString()); // when status.json was last read (or failed)
    }

    fail(reason) {
      this.show("unknown", null, "");
      var src = this.getAttribute("src") || "";
      if (reason !== this._logged) { // once per reason, not every minute
        this._logged = reason;
        console.warn("[platform-status] status unknown: " + reason + " (src: " + (src || "not set") + ")");
      }
    }

    refresh() {
      var self = this;
      var src = this.getAttribute("src");
      var generation = this._generation;
      if (!src) { this.fail("the src attribute is not set"); return; }
      fetch(src, { cache: "no-cache" })
        .then(function (r) {
          if (!r.ok) { throw new Error("status.json answered HTTP " + r.status); }
          return r.json().catch(function () { throw new Error("status.json is not valid JSON"); });
        }, function () {
          throw new Error("status.json could not be fetched (network error, or no CORS header for this site)");
        })
        .then(function (doc) {
          if (generation !== self._generation) { return; }
          var wrong = problem(doc);
          if (wrong) { throw new Error(wrong); }
          self._logged = "";
          if (isStale(doc)) {
            self.show("unknown", doc, "Status data is out of date: last checked " + when(doc.updated_at) + ".");
          } else {
            self.show(doc.platform_status, doc, "");
          }
        })
        .catch(function (error) {
          if (generation === self._generation) { self.fail(error.message); }
        });
    }
  }

  if (!customElements.get("platform-status")) {
    customElements.define("platform-status", PlatformStatusElement);
  }
})();
